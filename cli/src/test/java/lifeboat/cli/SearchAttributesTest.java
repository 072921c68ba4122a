package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Ports;
import lifeboat.cli.testing.RealTemporal;
import lifeboat.cli.testing.SampleSqlite;
import lifeboat.cli.testing.Visibility;
import lifeboat.worker.TemporalCliServer;
import lifeboat.worker.WorkerHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflows the CLI starts carry Lifeboat's search attributes where the namespace has them (a real server that
 * `lifeboat dev` or an operator prepared), and none where it has not (a real server without them, the in-memory
 * server): there the start must still work, not be refused for an unknown attribute.
 */
class SearchAttributesTest {
  private static final Pattern ID = Pattern.compile("workflow (backup-\\S+)");
  private static final io.temporal.common.SearchAttributeKey<String> DATABASE =
      lifeboat.workflows.SearchAttributes.DATABASE_KEY;
  private static final io.temporal.common.SearchAttributeKey<String> KIND =
      lifeboat.workflows.SearchAttributes.KIND_KEY;
  private static final io.temporal.common.SearchAttributeKey<String> WAITING_FOR =
      lifeboat.workflows.SearchAttributes.WAITING_FOR_KEY;

  @TempDir Path dir;

  @Test
  void aBackupOnARealServerWithTheAttributesIsFoundByDatabaseAndKind() throws Exception {
    try (LifeboatHome home = LifeboatHome.create()) {
      home.sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db"))).writeConfig();
      try (LocalStack stack = LocalStack.withWorker(LocalStack.Server.REAL, home.config())) {
        String id = backup(stack.address());
        SearchAttributes attributes = attributesOf(stack.client(), id);
        assertEquals("notes", attributes.get(DATABASE));
        assertEquals("backup", attributes.get(KIND));
        assertEquals("", attributes.get(WAITING_FOR), "a backup waits for nobody");
        assertTrue(Visibility.awaitListed(stack.client(), "LifeboatDatabase = 'notes' AND LifeboatKind = 'backup'", id),
            "a visibility query by database and kind finds " + id);
      }
    }
  }

  @Test
  void aRealServerWithoutTheAttributesStillRunsTheBackupWithoutThem() throws Exception {
    try (LifeboatHome home = LifeboatHome.create()) {
      home.sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db"))).writeConfig();
      try (TemporalCliServer server = TemporalCliServer.start(new TemporalCliServer.Settings(RealTemporal.cli(),
               Files.createDirectories(dir.resolve("state")), Ports.free(), 0, Map.of(), null));
           Temporal connection = Temporal.local(server.address());
           WorkerHost worker = WorkerHost.start(connection.service(), "default", home.config())) {
        String id = backup(server.address());
        assertNoLifeboatAttributes(attributesOf(connection.client(), id));
      }
    }
  }

  @Test
  void theInMemoryServerRunsTheBackupWithoutThem() throws Exception {
    try (LifeboatHome home = LifeboatHome.create()) {
      home.sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db"))).writeConfig();
      try (LocalStack stack = LocalStack.withWorker(LocalStack.Server.IN_MEMORY, home.config())) {
        String id = backup(stack.address());
        assertNoLifeboatAttributes(attributesOf(stack.client(), id));
      }
    }
  }

  private static String backup(String address) {
    CliResult r = InProcessCli.run("backup", "run", "notes", "--wait", "--address", address);
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    Matcher m = ID.matcher(r.out());
    assertTrue(m.find(), r.out());
    return m.group(1);
  }

  private static SearchAttributes attributesOf(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
  }

  private static void assertNoLifeboatAttributes(SearchAttributes attributes) {
    assertFalse(attributes.containsKey(DATABASE), attributes.toString());
    assertFalse(attributes.containsKey(KIND), attributes.toString());
    assertFalse(attributes.containsKey(WAITING_FOR), attributes.toString());
  }
}
