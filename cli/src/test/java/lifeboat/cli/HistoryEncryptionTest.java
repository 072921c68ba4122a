package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.FailoverRunbooks;
import lifeboat.cli.testing.Closing;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.SampleSqlite;
import lifeboat.worker.history.AesGcmPayloadCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encrypted workflow history on a real Temporal server: with history.encryptionKey set, a PostgreSQL backup, a
 * SQLite restore drill and a failover (a real primary, streaming standby and PgBouncer; the primary killed, the
 * promotion approved through the CLI) leave only {@code binary/encrypted} payloads and encoded failures in every
 * history of the namespace; `status`, `pending`, `approve` and `failover timeline` read them with the key; a
 * client without the key, or with another one, gets one line with a code and a HINT.
 */
class HistoryEncryptionTest {
  private static final Pattern FAILOVER_ID = Pattern.compile("workflow (failover-\\S+)");
  private static final String REASON = "primary gone " + UUID.randomUUID();
  private static final String SMOKE = "notes counted " + UUID.randomUUID();

  private static PgCluster primary;
  private static PgCluster standby;
  private static PgBouncer bouncer;
  private static LifeboatHome home;
  private static LocalStack stack;
  private static Path noKey;
  private static Path otherKey;
  private static String backupId;
  private static String drillId;
  private static String failoverId;
  /** What the commands printed while the failover waited for its approval, with each configuration. */
  private static final Map<String, CliResult> waiting = new TreeMap<>();
  private static CliResult approved;

  @BeforeAll
  static void runABackupADrillAndAFailoverWithTheKey() throws Exception {
    primary = PgCluster.start();
    primary.createDatabase("app");
    primary.exec("app", "CREATE TABLE items(id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 500)");
    standby = PgCluster.startStandbyOf(primary);
    bouncer = PgBouncer.startFor(primary);
    home = LifeboatHome.create();
    CliResult key = InProcessCli.run("keys", "history-key", "--out", home.dir().resolve("keys/history.key").toString());
    assertEquals(ExitCodes.OK, key.exit(), key.toString());
    home.postgres("app", primary.url("app"), primary.password())
        .sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db")))
        .historyKey("file:keys/history.key").writeConfig();
    noKey = home.writeSecret("no-key.yaml", "databases: {}\n");
    home.writeSecret("keys/other.key", Base64.getEncoder().encodeToString(new byte[32]));
    otherKey = home.writeSecret("other-key.yaml", "history: { encryptionKey: file:keys/other.key }\n");
    Path runbooks = Files.createDirectories(home.dir().resolve("runbooks"));
    Files.writeString(runbooks.resolve("notes-drill.yaml"), """
        kind: restore-drill
        database: notes
        smoke:
          - name: %s
            sql: SELECT count(*) FROM notes
            expect: "= 1234"
        """.formatted(SMOKE));
    FailoverRunbooks.appFailover(runbooks, home, primary, standby, bouncer);
    stack = LocalStack.withWorker(LocalStack.Server.REAL, home.config());

    CliResult backup = cli("backup", "run", "app", "--wait");
    assertEquals(ExitCodes.OK, backup.exit(), backup.toString());
    backupId = backup.out().lines().filter(l -> l.startsWith("backup ")).findFirst()
        .orElseThrow(() -> new AssertionError(backup.toString())).split("[ :,]")[1];
    // A CLI config with the key and no databases: the worker refuses the name, in an encoded failure.
    Path keyOnly = home.writeSecret("key-only.yaml", "history: { encryptionKey: file:keys/history.key }\n");
    CliResult unknown = cli(keyOnly, "backup", "run", "nosuchdb", "--wait");
    assertEquals(ExitCodes.INVALID_INPUT, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("unknown database 'nosuchdb'"), "the encoded failure, decoded: " + unknown);
    CliResult notes = cli("backup", "run", "notes", "--wait");
    assertEquals(ExitCodes.OK, notes.exit(), notes.toString());
    CliResult drill = cli("drill", "run", "notes-drill", "--runbooks", runbooks.toString());
    assertEquals(ExitCodes.OK, drill.exit(), drill.toString());
    assertTrue(drill.out().contains("smoke ok     " + SMOKE + ": 1234 (expect = 1234)"), drill.toString());
    drillId = Outputs.workflowId(drill);

    primary.killPostmaster();
    CliResult started = cli("failover", "start", "app-failover", "--runbooks", runbooks.toString());
    assertTrue(started.out().contains("WAITING FOR APPROVAL"), started.toString());
    Matcher m = FAILOVER_ID.matcher(started.out());
    assertTrue(m.find(), started.out());
    failoverId = m.group(1);
    for (Path config : List.of(home.config(), noKey, otherKey)) {
      String with = config.getFileName().toString();
      waiting.put("pending " + with, cli(config, "pending"));
      waiting.put("status " + with, cli(config, "status", failoverId));
    }
    approved = cli("approve", failoverId, "--by", "alice", "--reason", REASON);
  }

  @AfterAll
  static void stop() {
    Closing.all(stack, bouncer, standby, primary, home);
  }

  private static CliResult cli(String... args) {
    return cli(home.config(), args);
  }

  private static CliResult cli(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", stack.address(), "--config", config.toString()));
    return InProcessCli.run(all.toArray(String[]::new));
  }

  @Test
  void everyPayloadOfEveryHistoryIsEncryptedAndNoHostRowCountOrSmokeCheckIsReadable() {
    List<String> ids = stack.client().listExecutions("").map(e -> e.getExecution().getWorkflowId()).toList();
    assertTrue(ids.contains(failoverId) && ids.contains(drillId), ids.toString());
    assertTrue(ids.stream().anyMatch(id -> id.startsWith("backup-app-")), ids.toString());
    int payloads = 0;
    int failures = 0;
    java.util.Set<String> places = new java.util.TreeSet<>();
    for (String id : ids) {
      History history = stack.client().fetchHistory(id).getHistory();
      Census census = new Census();
      census.walk(history, id);
      assertEquals(List.of(), census.problems, "in the history of " + id);
      payloads += census.payloads;
      failures += census.failures;
      places.addAll(census.places);
      String readable = readable(history);
      for (String secret : List.of(primary.url("app"), standby.url("app"), "127.0.0.1:" + primary.port(), SMOKE,
          REASON, "items", backupId, "notes.db")) {
        assertFalse(readable.contains(secret), "'" + secret + "' readable in the history of " + id);
      }
    }
    assertTrue(payloads > 50, "real histories: " + payloads + " payloads in " + ids);
    for (String place : List.of("workflow_execution_started_event_attributes.input",
        "activity_task_scheduled_event_attributes.input", "activity_task_completed_event_attributes.result",
        "workflow_execution_completed_event_attributes.result", "update")) {
      assertTrue(places.stream().anyMatch(p -> p.contains(place)), place + " among " + places);
    }
    assertTrue(failures > 0, "the failed backup's failure is in its history");
  }

  @Test
  void statusPendingApproveAndTheTimelineReadTheHistoryWithTheKey() {
    CliResult pending = waiting.get("pending lifeboat.yaml");
    assertEquals(ExitCodes.OK, pending.exit(), pending.toString());
    assertTrue(pending.out().contains(failoverId + "  FailoverWorkflow  WAITING FOR APPROVAL at await-promotion-approval"),
        pending.toString());
    CliResult status = waiting.get("status lifeboat.yaml");
    assertEquals(ExitCodes.OK, status.exit(), status.toString());
    assertTrue(status.out().contains(">>> WAITING FOR APPROVAL at await-promotion-approval"), status.toString());
    assertTrue(status.out().contains("probe-primary-"), status.toString());

    assertEquals(ExitCodes.OK, approved.exit(), approved.toString());
    assertTrue(approved.out().contains("recorded: await-promotion-approval -> promote by alice (" + REASON + ")"),
        approved.toString());
    assertTrue(approved.out().endsWith("outcome: promoted\n"), approved.toString());
    assertEquals("f", standby.exec("app", "select pg_is_in_recovery()"));

    CliResult timeline = cli("failover", "timeline", failoverId);
    assertEquals(ExitCodes.OK, timeline.exit(), timeline.toString());
    assertTrue(timeline.out().contains("answered by alice: promote - \"" + REASON + "\""), timeline.out());
    CliResult backupStatus = cli("status", stack.client().listExecutions("WorkflowType = 'BackupWorkflow'")
        .map(e -> e.getExecution().getWorkflowId()).filter(id -> id.startsWith("backup-app-")).findFirst().orElseThrow());
    assertTrue(backupStatus.out().contains("publish-manifest"), backupStatus.toString());
  }

  @Test
  void aClientWithoutTheKeyOrWithAnotherGetsOneLineWithACodeAndAHint() {
    for (String command : List.of("pending", "status")) {
      expectOneLine(waiting.get(command + " no-key.yaml"), "[HISTORY_KEY_MISSING] HINT: set history.encryptionKey");
      expectOneLine(waiting.get(command + " other-key.yaml"), "[HISTORY_KEY_MISMATCH] HINT: ");
    }
    expectOneLine(cli(noKey, "failover", "timeline", failoverId), "[HISTORY_KEY_MISSING]");
    CliResult other = cli(otherKey, "failover", "timeline", failoverId);
    expectOneLine(other, "[HISTORY_KEY_MISMATCH]");
    assertTrue(other.err().contains("the configured key is "), other.toString());
  }

  private static void expectOneLine(CliResult r, String text) {
    assertEquals(ExitCodes.UNEXPECTED_STATE, r.exit(), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
    assertTrue(r.err().startsWith("lifeboat: ") && r.err().contains(text), r.toString());
  }

  /**
   * Every payload and failure in a history. Left out: search attributes (visibility, plain text by design) and
   * the SDK's version markers.
   */
  private static class Census {
    final List<String> problems = new ArrayList<>();
    /** Where payloads were found, e.g. events.activity_task_completed_event_attributes.result.payloads. */
    final java.util.Set<String> places = new java.util.TreeSet<>();
    int payloads;
    int failures;

    void walk(Message message, String where) {
      if (message instanceof io.temporal.api.common.v1.SearchAttributes) {
        return;
      }
      if (message instanceof MarkerRecordedEventAttributes marker && marker.getMarkerName().equals("Version")) {
        // Workflow.getVersion's marker: the SDK writes its change id and version number with its own default
        // converter, not ours (they are code, not data; docs/configuration.md#history says they stay visible).
        return;
      }
      if (message instanceof Payload payload) {
        payloads++;
        places.add(where.substring(where.indexOf('.') + 1));
        if (!AesGcmPayloadCodec.isEncrypted(payload)) {
          problems.add("plain payload at " + where + ": " + payload.getData().toStringUtf8());
        }
        return;
      }
      if (message instanceof Failure failure) {
        failures++;
        if (!failure.getMessage().equals("Encoded failure") || !failure.getStackTrace().isEmpty()
            || !failure.hasEncodedAttributes()) {
          problems.add("readable failure at " + where + ": " + failure.getMessage());
        }
      }
      for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
        if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
          continue;
        }
        String at = where + "." + field.getKey().getName();
        if (field.getKey().isRepeated()) {
          for (Object each : (List<?>) field.getValue()) {
            walk((Message) each, at);
          }
        } else {
          walk((Message) field.getValue(), at);
        }
      }
    }
  }

  /** The history as JSON with every payload's data decoded beside it, so nothing can hide in base64. */
  private static String readable(History history) {
    StringBuilder out = new StringBuilder(history.toString());
    new Census() {
      @Override
      void walk(Message message, String where) {
        if (message instanceof Payload p) {
          out.append('\n').append(p.getData().toString(StandardCharsets.UTF_8));
        }
        super.walk(message, where);
      }
    }.walk(history, "");
    return out.toString();
  }
}
