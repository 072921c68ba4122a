package lifeboat.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import lifeboat.cli.Main;
import lifeboat.cli.Temporal;
import lifeboat.workflows.schedule.ScheduleRun;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The schedule and runbook verbs in-process, against the embedded server and a real worker with SQLite. */
class ScheduleCommandTest {
  @TempDir Path dir;
  private EmbeddedTemporal server;
  private Temporal temporal;
  private WorkerHost worker;

  record Result(int code, String out, String err) {
    String context() {
      return "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    }
  }

  @BeforeEach
  void start() throws Exception {
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
    server = EmbeddedTemporal.start(freePort());
    temporal = Temporal.local(server.address());
    worker = WorkerHost.start(temporal.service(), "default", dir.resolve("lifeboat.yaml"));
    Files.createDirectories(dir.resolve("runbooks"));
  }

  @AfterEach
  void stop() {
    worker.close();
    temporal.close();
    server.close();
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--address";
    all[args.length + 1] = server.address();
    int code = cli.execute(args[0].equals("runbook") ? args : all);
    return new Result(code, out.toString(), err.toString());
  }

  private void runbook(String name, String text) throws IOException {
    Files.writeString(dir.resolve("runbooks").resolve(name + ".yaml"), text);
  }

  @Test
  void applyListPauseResumeTriggerAndRemove() throws Exception {
    runbook("notes-nightly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\", timeZone: Europe/Berlin }\n");
    runbook("notes-hourly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 * * * *\" }\n");
    runbook("unscheduled", "kind: backup\ndatabase: notes\n");
    String runbooks = dir.resolve("runbooks").toString();

    Result applied = run("schedule", "apply", runbooks);
    assertEquals(0, applied.code(), applied.context());
    assertTrue(applied.out().contains("started schedule-notes-nightly: backup of notes, cron \"0 3 * * *\" Europe/Berlin"),
        applied.context());
    assertTrue(applied.out().contains("started schedule-notes-hourly"), applied.context());
    assertFalse(applied.out().contains("unscheduled"), applied.context());

    Result list = run("schedule", "list");
    assertEquals(0, list.code(), list.context());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("schedule-notes-nightly") && l.contains(" no ")),
        list.context());

    Result paused = run("schedule", "pause", "notes-nightly", "--reason", "moving disks", "--by", "carol");
    assertEquals(0, paused.code(), paused.context());
    list = run("schedule", "list");
    assertTrue(list.out().contains("paused by carol: moving disks"), list.context());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("schedule-notes-nightly") && l.contains(" yes ")),
        list.context());

    assertEquals(0, run("schedule", "resume", "notes-nightly").code());
    list = run("schedule", "list");
    assertFalse(list.out().contains("paused by"), list.context());

    Result triggered = run("schedule", "trigger", "notes-nightly");
    assertEquals(0, triggered.code(), triggered.context());
    ScheduleRun last = null;
    for (int i = 0; i < 100; i++) {
      last = Schedules.stub(temporal, "notes-nightly").describe().lastRun();
      if (last != null && !last.outcome().equals(ScheduleRun.RUNNING)) {
        break;
      }
      Thread.sleep(200);
    }
    assertEquals(ScheduleRun.OK, last.outcome(), String.valueOf(last));
    assertEquals("manual", last.trigger());
    list = run("schedule", "list");
    assertTrue(list.out().contains("ok "), list.context());

    Files.delete(dir.resolve("runbooks/notes-hourly.yaml"));
    Result reapplied = run("schedule", "apply", runbooks);
    assertEquals(0, reapplied.code(), reapplied.context());
    assertTrue(reapplied.out().contains("updated schedule-notes-nightly"), reapplied.context());
    assertTrue(reapplied.out().contains("stopped schedule-notes-hourly"), reapplied.context());
    assertEquals(java.util.Set.of("schedule-notes-nightly"), Schedules.openIds(temporal));
    assertEquals(1, Schedules.stub(temporal, "notes-nightly").describe().runCount(), "re-applying keeps the state");

    Result unknown = run("schedule", "pause", "nosuch");
    assertEquals(3, unknown.code(), unknown.context());
    assertTrue(unknown.err().contains("schedule-nosuch"), unknown.context());
  }

  @Test
  void invalidRunbooksExitTwoNamingFieldAndLineAndApplyNothing() throws Exception {
    runbook("good", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\" }\n");
    runbook("bad", "kind: backup\ndatabase: notes\nschedule:\n  cron: \"0 3 * *\"\n  zone: UTC\n");
    String runbooks = dir.resolve("runbooks").toString();

    Result validated = run("runbook", "validate", runbooks);
    assertEquals(2, validated.code(), validated.context());
    assertTrue(validated.err().contains("bad.yaml line 5: unknown field 'schedule.zone'"), validated.context());
    assertEquals(1, validated.err().lines().count(), validated.context());

    Result applied = run("schedule", "apply", runbooks);
    assertEquals(2, applied.code(), applied.context());
    assertTrue(applied.err().contains("bad.yaml line 5"), applied.context());
    assertTrue(Schedules.openIds(temporal).isEmpty(), "nothing applied");

    Files.delete(dir.resolve("runbooks/bad.yaml"));
    Result ok = run("runbook", "validate", runbooks);
    assertEquals(0, ok.code(), ok.context());
    assertTrue(ok.out().contains("1 runbook(s) valid, 1 scheduled"), ok.context());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
