package lifeboat.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.LocalStack.Server;
import lifeboat.cli.testing.Outputs;
import lifeboat.workflows.schedule.ScheduleRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schedule and runbook verbs in-process, against both servers (native Temporal Schedules on the real one,
 * ScheduleWorkflows on the in-memory one) and a real worker with SQLite. What only the real server has is in
 * {@link NativeScheduleTest}.
 */
class ScheduleCommandTest {
  @TempDir Path dir;

  @BeforeEach
  void files() throws Exception {
    writeNotesDatabase(dir);
  }

  /** A one-table SQLite database, lifeboat.yaml backing it up unencrypted into ./repo, and runbooks/. */
  static void writeNotesDatabase(Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("notes.db"));
         Statement s = c.createStatement()) {
      s.executeUpdate("create table notes (id integer primary key, body text)");
      s.executeUpdate("insert into notes values (1, 'hello')");
    }
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: ./repo }
        databases:
          notes: { engine: sqlite, path: ./notes.db, repository: local, encryption: none }
        """);
    Files.createDirectories(dir.resolve("runbooks"));
  }

  static CliResult run(LocalStack stack, String... args) {
    if (args[0].equals("runbook")) {
      return InProcessCli.run(args);
    }
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--address";
    all[args.length + 1] = stack.address();
    return InProcessCli.run(all);
  }

  /** `schedule list` until its output passes {@code until}: a real server's schedule listing lags a little. */
  static CliResult listUntil(LocalStack stack, Predicate<String> until, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    CliResult list;
    do {
      list = run(stack, "schedule", "list");
      if (list.exit() == 0 && until.test(list.out())) {
        return list;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("schedule list never got there:" + context(list));
  }

  static String context(CliResult r) {
    return "\n--- out ---\n" + r.out() + "\n--- err ---\n" + r.err();
  }

  static void runbook(Path dir, String name, String text) throws IOException {
    Files.writeString(dir.resolve("runbooks").resolve(name + ".yaml"), text);
  }

  private static boolean line(String out, String start, String contains) {
    return out.lines().anyMatch(l -> l.startsWith(start) && l.contains(contains));
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void applyListPauseResumeTriggerAndRemove(Server server) throws Exception {
    boolean real = server == Server.REAL;
    runbook(dir, "notes-nightly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\", timeZone: Europe/Berlin }\n");
    runbook(dir, "notes-hourly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 * * * *\" }\n");
    runbook(dir, "unscheduled", "kind: backup\ndatabase: notes\n");
    String runbooks = dir.resolve("runbooks").toString();
    try (LocalStack stack = LocalStack.withWorker(server, dir.resolve("lifeboat.yaml"))) {
      CliResult applied = run(stack, "schedule", "apply", runbooks);
      assertEquals(0, applied.exit(), context(applied));
      String started = real ? "created " : "started ";
      assertTrue(applied.out().contains(started + "schedule-notes-nightly: backup of notes, cron \"0 3 * * *\" Europe/Berlin"),
          context(applied));
      assertTrue(applied.out().contains(started + "schedule-notes-hourly"), context(applied));
      assertFalse(applied.out().contains("unscheduled"), context(applied));

      listUntil(stack, out -> line(out, "schedule-notes-nightly", " no ") && line(out, "schedule-notes-hourly", " no "),
          Duration.ofSeconds(10));
      JsonNode schedules = Outputs.json(run(stack, "schedule", "list", "--json"));
      assertEquals(2, schedules.size(), schedules.toPrettyString());
      JsonNode nightly = Outputs.element(schedules, "id", "schedule-notes-nightly");
      assertEquals("backup", nightly.get("kind").asText());
      assertEquals("notes", nightly.get("database").asText());
      assertFalse(nightly.get("paused").asBoolean(), nightly.toString());
      assertTrue(nightly.get("nextFire").asText().endsWith("Z"), nightly.toString());
      assertTrue(nightly.get("lastRun").isNull(), nightly.toString());

      CliResult paused = run(stack, "schedule", "pause", "notes-nightly", "--reason", "moving disks", "--by", "carol");
      assertEquals(0, paused.exit(), context(paused));
      listUntil(stack, out -> out.contains("paused by carol: moving disks") && line(out, "schedule-notes-nightly", " yes "),
          Duration.ofSeconds(10));

      // A trigger is a person asking explicitly: it runs even while paused.
      CliResult triggered = run(stack, "schedule", "trigger", "notes-nightly");
      assertEquals(0, triggered.exit(), context(triggered));
      CliResult list = listUntil(stack, out -> line(out, "schedule-notes-nightly", " ok ")
          || line(out, "schedule-notes-nightly", " failed "), Duration.ofSeconds(60));
      assertTrue(line(list.out(), "schedule-notes-nightly", " ok "), context(list));
      assertTrue(line(list.out(), "schedule-notes-nightly", " yes "), "still paused" + context(list));
      if (!real) {
        ScheduleRun last = WorkflowSchedules.stub(stack.connection(), "notes-nightly").describe().lastRun();
        assertEquals("manual", last.trigger());
      }

      assertEquals(0, run(stack, "schedule", "resume", "notes-nightly").exit());
      listUntil(stack, out -> !out.contains("paused by") && line(out, "schedule-notes-nightly", " no "),
          Duration.ofSeconds(10));

      Files.delete(dir.resolve("runbooks/notes-hourly.yaml"));
      CliResult reapplied = run(stack, "schedule", "apply", runbooks);
      assertEquals(0, reapplied.exit(), context(reapplied));
      assertTrue(reapplied.out().contains("updated schedule-notes-nightly"), context(reapplied));
      assertTrue(reapplied.out().contains((real ? "deleted " : "stopped ")
          + "schedule-notes-hourly: its runbook is gone or "), context(reapplied));
      list = listUntil(stack, out -> !out.contains("schedule-notes-hourly"), Duration.ofSeconds(10));
      assertTrue(line(list.out(), "schedule-notes-nightly", " ok "), "re-applying keeps the last run" + context(list));

      CliResult unknown = run(stack, "schedule", "pause", "nosuch");
      assertEquals(3, unknown.exit(), context(unknown));
      assertTrue(unknown.err().contains("schedule-nosuch"), context(unknown));
    }
  }

  /** A runbook for a database lifeboat.yaml lacks would be scheduled and fail at every run: refused up front. */
  @Test
  void aRunbookForADatabaseNotInTheConfigIsRefusedByValidateAndApply() throws Exception {
    runbook(dir, "billing-nightly", "kind: backup\ndatabase: billing\nschedule: { cron: \"0 3 * * *\" }\n");
    String runbooks = dir.resolve("runbooks").toString();
    String config = dir.resolve("lifeboat.yaml").toString();
    try (LocalStack stack = LocalStack.serverOnly()) {
      CliResult validated = run(stack, "runbook", "validate", runbooks, "--config", config);
      assertEquals(2, validated.exit(), context(validated));
      assertEquals("lifeboat: billing-nightly.yaml line 2: database 'billing' is not in lifeboat.yaml"
          + " [RUNBOOK_INVALID] HINT: configured databases: notes", validated.err().strip(), context(validated));

      CliResult applied = run(stack, "schedule", "apply", runbooks, "--config", config);
      assertEquals(2, applied.exit(), context(applied));
      assertTrue(applied.err().contains("database 'billing' is not in lifeboat.yaml [RUNBOOK_INVALID]"),
          context(applied));
      assertTrue(run(stack, "schedule", "list").out().contains("no schedules"), "nothing applied");

      // Without a configuration at hand (no --config, no ./lifeboat.yaml) there is nothing to check against.
      CliResult alone = run(stack, "runbook", "validate", runbooks);
      assertEquals(0, alone.exit(), context(alone));
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void invalidRunbooksExitTwoNamingFieldAndLineAndApplyNothing(Server server) throws Exception {
    runbook(dir, "good", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\" }\n");
    runbook(dir, "bad", "kind: backup\ndatabase: notes\nschedule:\n  cron: \"0 3 * *\"\n  zone: UTC\n");
    String runbooks = dir.resolve("runbooks").toString();
    try (LocalStack stack = LocalStack.serverOnly(server)) {
      CliResult validated = run(stack, "runbook", "validate", runbooks);
      assertEquals(2, validated.exit(), context(validated));
      assertTrue(validated.err().contains("bad.yaml line 5: unknown field 'schedule.zone'"), context(validated));
      assertEquals(1, validated.err().lines().count(), context(validated));

      CliResult applied = run(stack, "schedule", "apply", runbooks);
      assertEquals(2, applied.exit(), context(applied));
      assertTrue(applied.err().contains("bad.yaml line 5"), context(applied));
      CliResult list = run(stack, "schedule", "list");
      assertTrue(list.out().contains("no schedules"), "nothing applied" + context(list));
      // Listing lags on a real server: ask for the good runbook's schedule by id too.
      CliResult good = run(stack, "schedule", "resume", "good");
      assertEquals(3, good.exit(), "no schedule-good was made" + context(good));
      assertTrue(good.err().contains("SCHEDULE_NOT_FOUND"), context(good));

      Files.delete(dir.resolve("runbooks/bad.yaml"));
      CliResult ok = run(stack, "runbook", "validate", runbooks);
      assertEquals(0, ok.exit(), context(ok));
      assertTrue(ok.out().contains("1 runbook(s) valid, 1 scheduled"), ok.out());
    }
  }
}
