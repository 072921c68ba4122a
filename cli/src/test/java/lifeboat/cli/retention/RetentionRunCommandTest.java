package lifeboat.cli.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import lifeboat.cli.Main;
import lifeboat.cli.Temporal;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `lifeboat retention run` against an embedded server and worker, over a repository of simulated backups. */
class RetentionRunCommandTest {
  @TempDir Path dir;
  private EmbeddedTemporal server;
  private Temporal temporal;
  private WorkerHost worker;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: ./repo }
        databases:
          notes: { engine: sqlite, path: ./notes.db, repository: local, encryption: none }
        """);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = EmbeddedTemporal.start(port);
    temporal = Temporal.local(server.address());
    worker = WorkerHost.start(temporal.service(), "default", dir.resolve("lifeboat.yaml"));
  }

  @AfterEach
  void stop() {
    worker.close();
    temporal.close();
    server.close();
  }

  /** A backup as a repository holds it, written without Lifeboat's activities: the CLI never uses them. */
  private void fake(Instant started, boolean verified) throws Exception {
    String id = BackupIds.newId(started.toEpochMilli(), new UUID(0, started.getEpochSecond()));
    Path folder = Files.createDirectories(dir.resolve("repo/backups/notes/" + id));
    Files.writeString(folder.resolve("data.zst"), "x");
    new ObjectMapper().writeValue(folder.resolve("manifest.json").toFile(), new BackupManifest(1, id, "notes",
        "sqlite", "3", null, "local", "backups/notes/" + id + "/data.zst", folder.toString(), started.toString(),
        started.toString(), 1, 1, "00", "zstd-3", "none", List.of(), verified, "test"));
  }

  private long backups() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("repo/backups/notes"))) {
      return s.count();
    }
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address(), "--runbooks", dir.resolve("runbooks").toString()));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void dryRunPrintsThePlanAndARealRunFollowsTheRunbook() throws Exception {
    Instant now = Instant.now();
    for (int daysAgo = 10; daysAgo >= 2; daysAgo--) {
      fake(now.minus(Duration.ofDays(daysAgo)), true);
    }
    int code = run("retention", "run", "notes", "--dry-run", "--daily", "3", "--weekly", "0", "--monthly", "0",
        "--yearly", "0");
    String context = "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    assertEquals(0, code, context);
    assertTrue(out.toString().contains("policy: 3 daily, 0 weekly, 0 monthly, 0 yearly, minAge 24h, UTC"), context);
    assertTrue(out.toString().contains("dry run: would delete 6, keep 3"), context);
    assertTrue(out.toString().lines().anyMatch(l -> l.contains("KEEP") && l.contains("newest verified")), context);
    assertTrue(out.toString().lines().anyMatch(l -> l.contains("DELETE") && l.contains("would delete")), context);
    assertEquals(9, backups(), "a dry run deletes nothing");

    Files.createDirectories(dir.resolve("runbooks"));
    Files.writeString(dir.resolve("runbooks/notes-nightly.yaml"), """
        kind: backup
        database: notes
        schedule: { cron: "0 2 * * *" }
        retention: { daily: 4, weekly: 0, monthly: 0, yearly: 0, minAge: 1h }
        """);
    code = run("retention", "run", "notes");
    context = "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    assertEquals(0, code, context);
    assertTrue(out.toString().contains("notes-nightly.yaml: 4 daily, 0 weekly, 0 monthly, 0 yearly, minAge 1h"),
        context);
    assertTrue(out.toString().contains("deleted 5, kept 4, skipped 0 (locked)"), context);
    assertEquals(4, backups());
  }

  @Test
  void aRefusalExitsOneAndDeletesNothing() throws Exception {
    Instant now = Instant.now();
    for (int daysAgo = 10; daysAgo >= 2; daysAgo--) {
      fake(now.minus(Duration.ofDays(daysAgo)), true);
    }
    fake(now.minus(Duration.ofDays(1)), false);
    int code = run("retention", "run", "notes", "--daily", "1", "--min-age", "0s");
    String context = "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    assertEquals(1, code, context);
    assertTrue(out.toString().contains("refused, nothing deleted: the newest backup "), context);
    assertEquals(10, backups());
  }

  @Test
  void anInvalidPolicyStartsNothing() {
    assertEquals(2, run("retention", "run", "notes", "--daily", "-1"));
    assertTrue(err.toString().contains("daily must be 0 or more"), err.toString());
  }
}
