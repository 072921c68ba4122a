package lifeboat.cli.schedule;

import static lifeboat.cli.schedule.ScheduleCommandTest.context;
import static lifeboat.cli.schedule.ScheduleCommandTest.run;
import static lifeboat.cli.schedule.ScheduleCommandTest.runbook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import lifeboat.cli.runbook.RunbookLoader;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.LocalStack.Server;
import lifeboat.cli.testing.Ports;
import lifeboat.cli.testing.RealTemporal;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.model.BackupResult;
import lifeboat.workflows.schedule.ScheduledTime;
import lifeboat.worker.TemporalCliServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a real Temporal server has: `schedule apply` makes native Schedules that `temporal schedule list`
 * (ListSchedules, here through ScheduleClient) shows, updates them in place, deletes only Lifeboat's own, and
 * a triggered run is a verified backup that carries its scheduled time.
 */
class NativeScheduleTest {
  private static final SearchAttributeKey<OffsetDateTime> SCHEDULED_AT =
      SearchAttributeKey.forOffsetDateTime(ScheduledTime.ATTRIBUTE);
  private static final SearchAttributeKey<String> DATABASE =
      SearchAttributeKey.forKeyword(lifeboat.workflows.SearchAttributes.DATABASE);
  private static final SearchAttributeKey<String> KIND =
      SearchAttributeKey.forKeyword(lifeboat.workflows.SearchAttributes.KIND);

  @TempDir Path dir;

  @BeforeEach
  void files() throws Exception {
    ScheduleCommandTest.writeNotesDatabase(dir);
  }

  private static ScheduleClient schedules(LocalStack stack) {
    return ScheduleClient.newInstance(stack.connection().service(),
        ScheduleClientOptions.newBuilder().setNamespace("default").build());
  }

  /** Schedule ids as `temporal schedule list` shows them, once they pass {@code until} (listing lags a little). */
  private static Set<String> listedUntil(ScheduleClient client, Predicate<Set<String>> until) throws InterruptedException {
    Set<String> ids = Set.of();
    for (int i = 0; i < 80; i++) {
      ids = client.listSchedules().map(ScheduleListDescription::getScheduleId)
          .collect(Collectors.toCollection(TreeSet::new));
      if (until.test(ids)) {
        return ids;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("schedules listed: " + ids);
  }

  @Test
  void applyCreatesUpdatesAndDeletesOnlyLifeboatsSchedules() throws Exception {
    runbook(dir, "notes-nightly", "kind: backup\ndatabase: notes\n"
        + "schedule: { cron: \"30 2 * * *\", timeZone: Europe/Berlin, jitter: 10m }\n");
    runbook(dir, "notes-check", "kind: check\ndatabase: notes\nschedule: { cron: \"0 * * * *\" }\n");
    String runbooks = dir.resolve("runbooks").toString();
    try (LocalStack stack = LocalStack.withWorker(Server.REAL, dir.resolve("lifeboat.yaml"))) {
      ScheduleClient client = schedules(stack);
      // Someone else's schedules on the same namespace: one with Lifeboat's id prefix but not its memo.
      client.createSchedule("schedule-not-lifeboats", foreignSchedule(), ScheduleOptions.newBuilder().build());
      client.createSchedule("nightly-report", foreignSchedule(), ScheduleOptions.newBuilder().build());

      // A ScheduleWorkflow an older Lifeboat left on this server: it would fire beside the native schedule.
      new WorkflowSchedules(stack.connection()).apply(
          RunbookLoader.loadDirectory(dir.resolve("runbooks")).orThrow().subList(0, 1), new PrintWriter(new StringWriter()));

      CliResult applied = run(stack, "schedule", "apply", runbooks);
      assertEquals(0, applied.exit(), context(applied));
      assertTrue(applied.out().contains("stopped workflow schedule-notes-"), context(applied));
      assertTrue(WorkflowSchedules.openIds(stack.connection()).isEmpty(), "no ScheduleWorkflow left");
      assertTrue(applied.out().contains("created schedule-notes-nightly: backup of notes, cron \"30 2 * * *\""
          + " Europe/Berlin + up to 10m jitter"), context(applied));
      assertTrue(applied.out().contains("created schedule-notes-check: check of notes"), context(applied));
      assertTrue(applied.out().contains("note: schedule-notes-nightly: the cron's time does not exist on "),
          "Temporal skips a wall time the spring change skips: apply says what it does instead" + context(applied));
      assertFalse(applied.out().contains("note: schedule-notes-check"), context(applied));
      listedUntil(client, ids -> ids.containsAll(List.of("schedule-notes-nightly", "schedule-notes-check")));

      ScheduleDescription nightly = client.getHandle("schedule-notes-nightly").describe();
      Schedule s = nightly.getSchedule();
      assertEquals("Europe/Berlin", s.getSpec().getTimeZoneName());
      assertEquals(Duration.ofMinutes(10), s.getSpec().getJitter());
      assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, s.getPolicy().getOverlap());
      assertEquals(NativeScheduleDefinition.CATCHUP_WINDOW, s.getPolicy().getCatchupWindow());
      assertFalse(s.getState().isPaused());
      assertEquals("notes-nightly", nightly.getMemo(NativeScheduleDefinition.MEMO_RUNBOOK, String.class));
      ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) s.getAction();
      assertEquals("BackupWorkflow", action.getWorkflowType());
      assertEquals("lifeboat", action.getOptions().getTaskQueue());
      assertEquals("notes-nightly", action.getOptions().getWorkflowId());
      assertEquals("notes", action.getOptions().getTypedSearchAttributes().get(DATABASE));
      assertEquals("backup", action.getOptions().getTypedSearchAttributes().get(KIND));
      // The night the clocks go forward, the server's own schedule still has a run: the make-up one at 03:30 CEST.
      java.time.Instant night = java.time.Instant.parse(
          DstGaps.makeUpRuns(RunbookLoader.loadDirectory(dir.resolve("runbooks")).orThrow().stream()
              .filter(r -> r.name().equals("notes-nightly")).findFirst().orElseThrow(), java.time.Instant.now())
              .get(0).toLocalDate() + "T00:00:00Z");
      var matching = stack.connection().service().blockingStub().listScheduleMatchingTimes(
          io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest.newBuilder().setNamespace("default")
              .setScheduleId("schedule-notes-nightly")
              .setStartTime(com.google.protobuf.util.Timestamps.fromMillis(night.toEpochMilli()))
              .setEndTime(com.google.protobuf.util.Timestamps.fromMillis(night.plusSeconds(6 * 3600).toEpochMilli()))
              .build()).getStartTimeList();
      assertEquals(1, matching.size(), "one run that night: " + matching);
      assertTrue(matching.get(0).getSeconds() >= night.plusSeconds(3600 + 1800).getEpochSecond(),
          "at 01:30 UTC or later (03:30 CEST, plus jitter): " + matching);
      // 02:30 in Berlin is 00:30 or 01:30 UTC, give or take the jitter.
      int hour = nightly.getInfo().getNextActionTimes().get(0).atOffset(java.time.ZoneOffset.UTC).getHour();
      assertTrue(hour == 0 || hour == 1, "next: " + nightly.getInfo().getNextActionTimes());

      // Paused, then applied again with a changed cron: updated in place, still paused, no second schedule.
      assertEquals(0, run(stack, "schedule", "pause", "notes-nightly", "--reason", "moving disks", "--by", "carol").exit());
      runbook(dir, "notes-nightly", "kind: backup\ndatabase: notes\nschedule: { cron: \"45 2 * * *\", timeZone: Europe/Berlin }\n");
      CliResult again = run(stack, "schedule", "apply", runbooks);
      assertEquals(0, again.exit(), context(again));
      assertTrue(again.out().contains("updated schedule-notes-nightly"), context(again));
      assertTrue(again.out().contains("updated schedule-notes-check"), context(again));
      Schedule updated = client.getHandle("schedule-notes-nightly").describe().getSchedule();
      assertEquals(Duration.ZERO, updated.getSpec().getJitter() == null ? Duration.ZERO : updated.getSpec().getJitter());
      assertTrue(updated.getState().isPaused(), "an update keeps the pause");
      assertEquals("paused by carol: moving disks", updated.getState().getNote());
      assertEquals(4, listedUntil(client, ids -> true).size(), "no duplicate");

      assertEquals(0, run(stack, "schedule", "resume", "notes-nightly").exit());
      assertFalse(client.getHandle("schedule-notes-nightly").describe().getSchedule().getState().isPaused());

      Files.delete(dir.resolve("runbooks/notes-check.yaml"));
      CliResult removed = run(stack, "schedule", "apply", runbooks);
      assertEquals(0, removed.exit(), context(removed));
      assertTrue(removed.out().contains("deleted schedule-notes-check: its runbook is gone or has no schedule"),
          context(removed));
      assertFalse(removed.out().contains("not-lifeboats") || removed.out().contains("nightly-report"), context(removed));
      assertEquals(Set.of("schedule-notes-nightly", "schedule-not-lifeboats", "nightly-report"),
          listedUntil(client, ids -> !ids.contains("schedule-notes-check")));

      // A runbook whose schedule id someone else's schedule holds: refused, theirs untouched, nothing applied.
      runbook(dir, "not-lifeboats", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 4 * * *\" }\n");
      CliResult clash = run(stack, "schedule", "apply", runbooks);
      assertEquals(2, clash.exit(), context(clash));
      assertTrue(clash.err().contains("SCHEDULE_NOT_LIFEBOATS: a schedule schedule-not-lifeboats exists"), context(clash));
      assertEquals("", clash.out(), context(clash));
      assertEquals("ReportWorkflow", ((ScheduleActionStartWorkflow) client.getHandle("schedule-not-lifeboats")
          .describe().getSchedule().getAction()).getWorkflowType());
    }
  }

  @Test
  void aTriggeredBackupIsVerifiedAndCarriesItsScheduledTime() throws Exception {
    runbook(dir, "notes-nightly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\" }\n");
    try (LocalStack stack = LocalStack.withWorker(Server.REAL, dir.resolve("lifeboat.yaml"))) {
      assertEquals(0, run(stack, "schedule", "apply", dir.resolve("runbooks").toString()).exit());
      CliResult triggered = run(stack, "schedule", "trigger", "notes-nightly");
      assertEquals(0, triggered.exit(), context(triggered));

      ScheduleActionResult action = firstAction(schedules(stack), "schedule-notes-nightly");
      String workflowId = ((ScheduleActionExecutionStartWorkflow) action.getAction()).getWorkflowId();
      assertTrue(workflowId.startsWith("notes-nightly-"), workflowId);
      WorkflowClient client = stack.client();
      BackupResult backup = client.newUntypedWorkflowStub(workflowId).getResult(60, TimeUnit.SECONDS, BackupResult.class);
      assertTrue(backup.verified(), String.valueOf(backup));
      assertTrue(Files.exists(dir.resolve("repo")), "the backup is in the repository");

      SearchAttributes attributes = client.newUntypedWorkflowStub(workflowId).describe().getTypedSearchAttributes();
      OffsetDateTime scheduledAt = attributes.get(SCHEDULED_AT);
      assertNotNull(scheduledAt, "TemporalScheduledStartTime: " + attributes);
      // The server keeps the scheduled time to the second in the attribute and in the id.
      Instant scheduled = action.getScheduledAt().truncatedTo(ChronoUnit.SECONDS);
      assertEquals(scheduled, scheduledAt.toInstant());
      assertTrue(workflowId.endsWith("-" + scheduled), "the id carries the scheduled time: " + workflowId);
      assertEquals("notes", attributes.get(DATABASE));
      assertEquals("backup", attributes.get(KIND));
    }
  }

  /** A drill on a native schedule: it restores the newest backup taken before its scheduled time, and passes. */
  @Test
  void aTriggeredDrillRestoresTheBackupTakenBeforeItsScheduledTime() throws Exception {
    runbook(dir, "notes-drill", "kind: restore-drill\ndatabase: notes\nschedule: { cron: \"0 4 * * 0\" }\n"
        + "restore: { backup: latest, rto: 5m }\n"
        + "smoke:\n  - name: the note\n    sql: SELECT count(*) FROM notes\n    expect: \"= 1\"\n");
    try (LocalStack stack = LocalStack.withWorker(Server.REAL, dir.resolve("lifeboat.yaml"))) {
      CliResult backup = run(stack, "backup", "run", "notes", "--wait");
      assertEquals(0, backup.exit(), context(backup));
      String backupId = backup.out().lines().filter(l -> l.startsWith("backup ")).findFirst().orElseThrow()
          .split("[ :]")[1];
      assertEquals(0, run(stack, "schedule", "apply", dir.resolve("runbooks").toString()).exit());
      assertEquals(0, run(stack, "schedule", "trigger", "notes-drill").exit());

      ScheduleActionResult action = firstAction(schedules(stack), "schedule-notes-drill");
      String workflowId = ((ScheduleActionExecutionStartWorkflow) action.getAction()).getWorkflowId();
      DrillReport report = stack.client().newUntypedWorkflowStub(workflowId)
          .getResult(120, TimeUnit.SECONDS, DrillReport.class);
      assertTrue(report.success(), report.failure());
      assertEquals(backupId, report.backupId(), "the newest backup before the scheduled time");
      assertEquals("notes-drill", report.runbook());
      assertEquals(Boolean.TRUE, report.rtoMet());
      assertEquals(List.of("= 1"), report.smoke().stream().map(SmokeResult::expect).toList());
      SearchAttributes attributes = stack.client().newUntypedWorkflowStub(workflowId).describe()
          .getTypedSearchAttributes();
      assertEquals("restore-drill", attributes.get(KIND));
      assertEquals(action.getScheduledAt().truncatedTo(ChronoUnit.SECONDS), attributes.get(SCHEDULED_AT).toInstant());
    }
  }

  @Test
  void aClusterWithoutLifeboatsSearchAttributesIsToldHowToAddThem() throws Exception {
    runbook(dir, "notes-nightly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\" }\n");
    try (TemporalCliServer bare = TemporalCliServer.start(new TemporalCliServer.Settings(RealTemporal.cli(),
        Files.createDirectories(dir.resolve("state")), Ports.free(), 0, Map.of(), null))) {
      CliResult applied = InProcessCli.run("schedule", "apply", dir.resolve("runbooks").toString(),
          "--address", bare.address());
      assertEquals(2, applied.exit(), context(applied));
      assertTrue(applied.err().contains("SEARCH_ATTRIBUTES_MISSING") && applied.err().contains("HINT: "),
          context(applied));
      assertEquals(1, applied.err().lines().count(), context(applied));
    }
  }

  /** `lifeboat dev` applies ./runbooks at every start; on the real server they persist, so the second start updates. */
  @Test
  void devAppliesTheRunbooksAtStartAndTheSchedulesSurviveItsRestart() throws Exception {
    runbook(dir, "notes-nightly", "kind: backup\ndatabase: notes\nschedule: { cron: \"0 3 * * *\" }\n");
    int port = Ports.free();
    String[] dev = {"dev", "--port", "" + port, "--ui-port", "0", "--state", dir.resolve("state").toString(),
        "--config", dir.resolve("lifeboat.yaml").toString(), "--runbooks", dir.resolve("runbooks").toString()};
    try (CliProcess first = CliProcess.start(dev)) {
      first.awaitOutput("ready", Duration.ofMinutes(2));
      assertTrue(first.output().contains("created schedule-notes-nightly"), first.output());
    }
    try (CliProcess second = CliProcess.start(dev)) {
      second.awaitOutput("ready", Duration.ofMinutes(2));
      assertTrue(second.output().contains("updated schedule-notes-nightly"), second.output());
      assertFalse(second.output().contains("created schedule-"), second.output());
    }
  }

  private static ScheduleActionResult firstAction(ScheduleClient client, String id) throws InterruptedException {
    for (int i = 0; i < 80; i++) {
      List<ScheduleActionResult> recent = client.getHandle(id).describe().getInfo().getRecentActions();
      if (!recent.isEmpty()) {
        return recent.get(0);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the trigger started nothing");
  }

  /** A schedule made by someone else: Lifeboat must leave it alone. Paused, so it never runs. */
  private static Schedule foreignSchedule() {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("ReportWorkflow")
            .setOptions(io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId("report")
                .setTaskQueue("reports").build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 5 * * *")).build())
        .setState(io.temporal.client.schedules.ScheduleState.newBuilder().setPaused(true).build())
        .build();
  }
}
