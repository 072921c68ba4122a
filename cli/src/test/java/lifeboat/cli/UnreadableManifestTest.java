package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.Closing;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.SampleSqlite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One damaged manifest in a real repository: `backup list` shows the others and the bad one on a line of its own,
 * `restore` of latest takes the newest readable verified backup and says it passed one over, and retention still
 * refuses to delete anything.
 */
class UnreadableManifestTest {
  private static LifeboatHome home;
  private static LocalStack stack;
  private static Path notes;

  @BeforeAll
  static void start() throws Exception {
    home = LifeboatHome.create();
    notes = SampleSqlite.create(home.dir().resolve("notes.db"));
    home.sqlite("notes", notes).writeConfig();
    stack = LocalStack.withWorker(home.config());
  }

  @AfterAll
  static void stop() {
    Closing.all(stack, home);
  }

  private static CliResult lifeboat(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--address";
    all[args.length + 1] = stack.address();
    return InProcessCli.run(all);
  }

  @Test
  void oneUnreadableManifestHidesNothingElseAndRetentionStillRefuses(@TempDir Path dir) throws Exception {
    for (int i = 0; i < 2; i++) {
      CliResult backup = lifeboat("backup", "run", "notes", "--wait");
      assertEquals(ExitCodes.OK, backup.exit(), backup.toString());
    }
    JsonNode before = Outputs.json(lifeboat("backup", "list", "notes", "--json"));
    String newest = before.get(0).get("backupId").asText();
    String older = before.get(1).get("backupId").asText();
    Path manifest = home.repository().resolve("backups/notes/" + newest + "/manifest.json");
    Files.writeString(manifest, "{ \"backupId\": \"" + newest + "\", truncated by a full disk");

    CliResult list = lifeboat("backup", "list", "notes");
    assertEquals(ExitCodes.OK, list.exit(), list.toString());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith(older) && l.contains(" yes ")), list.toString());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith(newest) && l.contains("UNREADABLE: manifest of "
        + newest + " is unreadable (")), list.toString());

    JsonNode json = Outputs.json(lifeboat("backup", "list", "notes", "--json"));
    JsonNode bad = Outputs.element(json, "backupId", newest);
    assertEquals("notes", bad.get("database").asText(), json.toPrettyString());
    assertTrue(bad.get("problem").asText().contains("is unreadable"), json.toPrettyString());
    assertTrue(Outputs.element(json, "backupId", older).get("verified").asBoolean(), json.toPrettyString());
    assertTrue(Outputs.element(json, "backupId", older).path("problem").isMissingNode(), json.toPrettyString());

    Path target = dir.resolve("restored.db");
    CliResult restore = lifeboat("restore", "notes", "--to", target.toString(), "--wait");
    assertEquals(ExitCodes.OK, restore.exit(), restore.toString());
    assertTrue(restore.out().contains("restored " + older), restore.toString());
    assertTrue(restore.out().contains("skipped newer backup " + newest + ": manifest of " + newest
        + " is unreadable"), restore.toString());
    assertEquals(SampleSqlite.rowCounts(notes), SampleSqlite.rowCounts(target));

    // The safety rule stands: with a manifest it cannot read, retention deletes nothing.
    CliResult retention = lifeboat("retention", "run", "notes", "--daily", "0", "--weekly", "0", "--monthly", "0",
        "--yearly", "0", "--min-age", "0s");
    assertEquals(ExitCodes.FAILED, retention.exit(), retention.toString());
    assertTrue(retention.out().contains("refused, nothing deleted") && retention.out().contains(newest),
        retention.toString());
    assertTrue(Files.exists(home.repository().resolve("backups/notes/" + older + "/manifest.json")));
    assertTrue(Files.exists(manifest));
  }
}
