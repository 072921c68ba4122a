package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.TaskQueues;
import lifeboat.workflows.backup.BackupWorkflow;
import lifeboat.workflows.check.CheckWorkflow;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.drill.DrillHistoryWorkflow;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.DrillRequest;
import lifeboat.workflows.drill.RestoreDrillWorkflow;
import lifeboat.workflows.model.BackupRequest;
import lifeboat.workflows.model.StepRecord;
import lifeboat.workflows.model.WorkflowProgress;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.schedule.ScheduledTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restore drills of a real SQLite backup on the Temporal test server with the real activities: a passing
 * drill, a failing smoke check, drills that cannot run (no backup, no usable key, a corrupt backup), and a
 * cancelled drill; the throwaway target is torn down every time (or never made), and every drill leaves a
 * report.
 */
class RestoreDrillWorkflowTest {
  private static final SmokeCheck NOTES_EXIST = new SmokeCheck("notes exist", "select count(*) from notes", "> 0",
      null);
  private static final SmokeCheck PROBE = new SmokeCheck("write and read back", null, null, true);
  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WebhookInbox inbox;
  private TestRepositoryHome home;

  @BeforeEach
  void start() throws Exception {
    inbox = new WebhookInbox();
    home = new TestRepositoryHome(dir, SharedKeys.get()).webhook(inbox.url());
    home.sqlite("notes", 3000);
    home.database("notes", "{ engine: sqlite, path: ./notes.db, repository: local,"
        + " schemaVersionQuery: \"select v from schema_version\" }");
    home.database("empty", "{ engine: sqlite, path: ./empty.db, repository: local }");
    startWorker(new FaultInjection());
  }

  /** A fresh test server and worker, the real activities behind {@code faults}. */
  private void startWorker(FaultInjection faults) throws Exception {
    if (env != null) {
      env.close();
    }
    env = TestWorkflowEnvironment.newInstance();
    LifeboatWorker.register(env.getWorkerFactory(), Workspace.fromFile(home.config()), faults);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
    inbox.close();
  }

  @Test
  void aDrillRestoresChecksTearsDownAndReports() {
    backup("notes");
    DrillReport report = drill("drill-ok", runbook("notes", "5m", NOTES_EXIST, PROBE));
    assertTrue(report.success(), report.toString());
    assertEquals("7", report.backupSchemaVersion());
    assertEquals("7", report.restoredSchemaVersion());
    assertEquals(2, report.smoke().size());
    assertTrue(report.smoke().stream().allMatch(s -> s.passed()), report.smoke().toString());
    assertEquals("3000", report.smoke().get(0).actual());
    assertEquals(Boolean.TRUE, report.rtoMet());
    assertEquals(List.of("pick-backup", "verify-checksum", "plan-target", "check-key", "create-target", "restore",
        "check-schema-version", "smoke-checks", "teardown-target"), names(report.steps()));
    assertTrue(report.steps().stream().allMatch(s -> s.outcome().equals("ok")), report.steps().toString());
    assertFalse(exists("drill-ok"), "the throwaway SQLite file is gone");
    assertEquals(List.of(), inbox.received(), "a passing drill within its RTO tells nobody");

    // drill-1 is the same drill recorded before check-key existed, drill-2 before faults-fail-the-drill: all replay.
    Histories.record(client, "drill-ok", "drill-4");
    List<DrillReport> history = history("notes");
    assertEquals(1, history.size());
    assertEquals(report.drillId(), history.get(0).drillId());
    assertTrue(history.get(0).success());
  }

  @Test
  void aFailingSmokeCheckFailsTheDrillAfterTearingDownAndReporting() {
    backup("notes");
    SmokeCheck impossible = new SmokeCheck("a million notes", "select count(*) from notes", ">= 1000000", null);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill("drill-smoke", runbook("notes", null, NOTES_EXIST, impossible)));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DRILL_FAILED", failure.getType());
    assertTrue(failure.getOriginalMessage().contains("1 smoke check failed: 'a million notes'"),
        failure.getOriginalMessage());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success());
    assertEquals("ok", step(report, "teardown-target").outcome(), "torn down even though the drill failed");
    StepRecord smoke = step(report, "smoke-checks");
    assertEquals("failed", smoke.outcome(), "a check failed, so the step did: " + smoke);
    assertTrue(smoke.detail().contains("1 smoke check failed: 'a million notes'"), smoke.detail());
    assertFalse(exists("drill-smoke"));
    assertEquals(1, inbox.received().size(), "a failed drill is posted to the webhook");
    assertTrue(inbox.received().get(0).contains("a million notes"), inbox.received().get(0));
    assertFalse(history("notes").get(0).success(), "and its report is in the history");
    Histories.record(client, "drill-smoke", "drill-7");
  }

  /**
   * A teardown that keeps failing (here: every attempt of the real step is refused) fails the drill, names
   * what is left and how to remove it, and `lifeboat check` raises an alarm about it.
   */
  @Test
  void aTeardownThatFailsFailsTheDrillNamesWhatIsLeftAndTheCheckAlarms() throws Exception {
    FaultInjection faults = new FaultInjection().failFrom("TeardownThrowawayTarget", 1,
        () -> ApplicationFailure.newFailure(
            "pg_ctl stop failed (exit 1): could not send stop signal [DRILL_TARGET_FAILED] HINT: retried",
            "DRILL_TARGET_FAILED"));
    startWorker(faults);
    backup("notes");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill("drill-teardown", runbook("notes", null, NOTES_EXIST)));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DRILL_TEARDOWN_FAILED", failure.getType());
    ThrowawayTarget target = planned("drill-teardown");
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success(), "a drill that left its target behind did not pass");
    for (String text : List.of(failure.getOriginalMessage(), report.failure(),
        step(report, "teardown-target").detail())) {
      assertTrue(text.contains("could not send stop signal"), text);
    }
    for (String text : List.of(failure.getOriginalMessage(), report.failure())) {
      assertTrue(text.contains(target.dir()) && text.contains("[DRILL_TEARDOWN_FAILED] HINT: remove it by hand"),
          "names what is left and what to do: " + text);
    }
    assertEquals("failed", step(report, "teardown-target").outcome());
    assertTrue(faults.calls("TeardownThrowawayTarget") > 1, "a teardown that may recover is retried first");
    assertTrue(exists("drill-teardown"), "the throwaway file is really still there");
    assertEquals(1, inbox.received().size(), "and people are told");
    assertTrue(inbox.received().get(0).contains(target.dir()), inbox.received().get(0));
    Histories.record(client, "drill-teardown", "drill-5");

    CheckResult check = client.newWorkflowStub(CheckWorkflow.class, options("check-leftover"))
        .check(new CheckRequest(List.of("notes"), null, null));
    // (stale may be raised too: the skipped clock can run years ahead of the backup's real-clock time)
    List<Alarm> alarms = check.databases().get(0).alarms().stream()
        .filter(a -> a.kind().equals(Alarm.DRILL_LEFTOVER)).toList();
    assertEquals(1, alarms.size(), check.databases().toString());
    assertTrue(alarms.get(0).message().contains(report.drillId()) && alarms.get(0).message().contains(target.dir()),
        alarms.get(0).message());
  }

  @Test
  void aDrillWithoutABackupFailsLoudly() {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill("drill-none", runbook("empty", null, NOTES_EXIST)));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertTrue(failure.getOriginalMessage().contains("has no verified backup"), failure.getOriginalMessage());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertEquals(List.of("pick-backup"), names(report.steps()), "nothing was created, nothing to tear down");
    assertEquals(1, history("empty").size());
    assertEquals(1, inbox.received().size());
  }

  /**
   * A drill that restored nothing proved no recovery time: its report gives no RTO verdict (JSON, Markdown,
   * notice), and says no target was made rather than "null".
   */
  @Test
  void aDrillThatRestoredNothingGivesNoRtoVerdict() throws Exception {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill("drill-nothing", runbook("empty", "5m", NOTES_EXIST)));
    DrillReport report = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
        .get(DrillReport.class);
    assertEquals(300.0, report.rtoSeconds());
    assertEquals(null, report.rtoMet(), "no restore, no verdict: " + report);
    String json = Files.readString(home.repository().resolve("drills/empty/" + report.drillId() + ".json"));
    assertTrue(json.contains("\"rtoMet\" : null"), json);
    String md = Files.readString(home.repository().resolve("drills/empty/" + report.drillId() + ".md"));
    assertTrue(md.contains("| RTO | ") && md.contains("no verdict against 300.0 s: nothing restored"), md);
    assertTrue(md.contains("| target | none made |") && md.contains("| restored | no |"), md);
    assertFalse(md.contains(": met") || md.contains("null"), md);
    assertEquals(1, inbox.received().size());
    assertFalse(inbox.received().get(0).contains(": met"), inbox.received().get(0));
  }

  /** The ways a worker's private key can be unusable, and what the drill must then say. */
  enum KeyProblem {
    NOT_CONFIGURED(ErrorCode.KEY_MISSING, "no private key is configured on this worker",
        "HINT: set encryption.privateKey"),
    FILE_MISSING(ErrorCode.KEY_MISSING, "private key file not found", "HINT: check the path of the private key"),
    WRONG_PASSPHRASE(ErrorCode.WRONG_PASSPHRASE, "the passphrase does not unlock private key",
        "HINT: check the environment variable or secret named in encryption.passphrase");

    final ErrorCode code;
    final String message;
    final String hint;

    KeyProblem(ErrorCode code, String message, String hint) {
      this.code = code;
      this.message = message;
      this.hint = hint;
    }
  }

  @ParameterizedTest
  @EnumSource(KeyProblem.class)
  void aDrillWithoutAUsableKeyFailsBeforeMakingATarget(KeyProblem problem) throws Exception {
    backup("notes");
    switch (problem) {
      case NOT_CONFIGURED -> home.decryptWith(null, null);
      case FILE_MISSING -> home.decryptWith(dir.resolve("no-such-key.asc"), SharedKeys.get().passphrase());
      case WRONG_PASSPHRASE -> home.decryptWith(SharedKeys.get().secretKeyFile(), "not-the-passphrase");
    }
    DrillReport report = failsLoudly("drill-key", "CheckDecryptionKey", problem.code, problem.message, problem.hint);
    assertEquals(List.of("pick-backup", "verify-checksum", "plan-target", "check-key"), names(report.steps()),
        "found on the host that would restore, before a target exists: nothing to tear down");
    assertFalse(exists("drill-key"), "no throwaway file was made");
    assertFalse(Histories.scheduledActivities(client, "drill-key").contains("CreateThrowawayTarget"));
    assertFalse(inbox.received().get(0).contains("not-the-passphrase"), "the notice quotes no secret");
  }

  @Test
  void aDrillWithAnotherKeySaysTheBackupWasNotEncryptedToIt() throws Exception {
    backup("notes");
    try (GpgKeys other = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, "other-pass")) {
      home.decryptWith(other.secretKeyFile(), other.passphrase());
      DrillReport report = failsLoudly("drill-other-key", "CheckDecryptionKey", ErrorCode.KEY_MISMATCH,
          "the backup was not encrypted to this worker's private key",
          SharedKeys.get().keyIds().get(1), // the subkey the backup is encrypted for
          other.keyIds().get(1), other.fingerprint(), "HINT: configure the private key matching");
      assertEquals(List.of("pick-backup", "verify-checksum", "plan-target", "check-key"), names(report.steps()));
      assertFalse(exists("drill-other-key"));
    }
  }

  @Test
  void aCorruptBackupFailsItsChecksumBeforeAnythingIsDecryptedOrMade() throws Exception {
    String backupId = backup("notes");
    Path data = home.repository().resolve("backups/notes/" + backupId + "/data.zst.pgp");
    byte[] bytes = Files.readAllBytes(data);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 16; i++) {
      bytes[i] ^= 0x5a; // bit rot in the middle: same size, different content
    }
    Files.write(data, bytes);
    DrillReport report = failsLoudly("drill-corrupt", "VerifyChecksum", ErrorCode.CHECKSUM_MISMATCH,
        "backup " + backupId + " is corrupt", "HINT: nothing was restored");
    assertEquals(List.of("pick-backup", "verify-checksum"), names(report.steps()));
    assertEquals(List.of("ResolveBackup", "VerifyChecksum", "RecordDrill", "NotifyDrill"),
        Histories.scheduledActivities(client, "drill-corrupt"), "no key used, no target planned or made");
  }

  /**
   * Runs a drill that cannot work and checks it failed loudly: DRILL_FAILED at once ({@code activityType}
   * failed on its first attempt with {@code code}, a code retrying cannot fix), its report in the repository
   * (JSON and Markdown) and the webhook notice naming the code and every one of {@code named}.
   */
  private DrillReport failsLoudly(String id, String activityType, ErrorCode code, String... named)
      throws Exception {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> drill(id, runbook("notes", null, NOTES_EXIST)));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("DRILL_FAILED", failure.getType());
    DrillReport report = failure.getDetails().get(DrillReport.class);
    assertFalse(report.success());

    Histories.ActivityFailed failed = Histories.activityFailure(client, id, activityType);
    assertEquals(code.name(), failed.type(), failed.message());
    assertTrue(code.userFixable() && failed.nonRetryable(), "a person must fix " + code);
    assertEquals(1, failed.attempt(), "not retried");
    assertTrue(report.drillSeconds() < 30, "failed in seconds of workflow time, not after retries: "
        + report.drillSeconds());

    assertEquals(1, inbox.received().size(), "one notice on the webhook");
    List<String> evidence = List.of(failure.getOriginalMessage(), report.failure(),
        Files.readString(home.repository().resolve("drills/notes/" + report.drillId() + ".json")),
        Files.readString(home.repository().resolve("drills/notes/" + report.drillId() + ".md")),
        inbox.received().get(0));
    for (String text : evidence) {
      assertTrue(text.contains("[" + code + "]"), "names the code: " + text);
      for (String name : named) {
        assertTrue(text.contains(name), "names '" + name + "': " + text);
      }
    }
    assertEquals(report.drillId(), history("notes").get(0).drillId(), "listed by drill history");
    return report;
  }

  @Test
  void aCancelledDrillStillTearsItsTargetDown() throws Exception {
    backup("notes");
    // A slow smoke check holds the drill at a known step, with the target created.
    SmokeCheck slow = new SmokeCheck("slow", "with recursive n(i) as (select 1 union all select i + 1 from n"
        + " where i < 30000000) select count(*) from n", "> 0", null);
    RestoreDrillWorkflow wf = client.newWorkflowStub(RestoreDrillWorkflow.class, options("drill-cancel"));
    WorkflowClient.start(wf::drill, new DrillRequest(runbook("notes", null, slow), null, "test"));
    WorkflowStub stub = client.newUntypedWorkflowStub("drill-cancel");
    Progress.awaitStep(stub, "smoke-checks");
    assertTrue(exists("drill-cancel"), "the target exists while the drill runs");
    stub.cancel();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(DrillReport.class));
    assertInstanceOf(CanceledFailure.class, e.getCause());
    WorkflowProgress progress = stub.query("progress", WorkflowProgress.class);
    assertEquals("ok", progress.steps().stream().filter(s -> s.name().equals("teardown-target")).findFirst()
        .orElseThrow().outcome());
    assertFalse(exists("drill-cancel"));
    assertFalse(history("notes").get(0).success());
    assertEquals("cancelled", history("notes").get(0).failure());
    Histories.record(client, "drill-cancel", "drill-6");
  }

  @Test
  void aRandomDrillPicksAVerifiedBackupWithinItsWindow() {
    backup("notes");
    backup("notes");
    // The manifests record the worker's wall clock; the test server's clock can lag it under load, and a
    // backup "taken" after the drill's now is outside [now - 30d, now). A minute of server time rules that out.
    env.sleep(java.time.Duration.ofMinutes(1));
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "notes-monthly", "notes", null, null, null,
        new RestoreSpec("random", "30d", null, null, null, null, null, null), null, List.of(NOTES_EXIST), null, null);
    DrillReport report = drill("drill-random", runbook);
    assertTrue(report.success(), report.toString());
    List<String> backups = client.newWorkflowStub(lifeboat.workflows.catalog.ListBackupsWorkflow.class,
        options("list")).list("notes").backups().stream().map(m -> m.backupId()).toList();
    assertEquals(2, backups.size());
    assertTrue(backups.contains(report.backupId()), report.backupId() + " in " + backups);
    assertEquals(2, Histories.activityResult(client, "drill-random", "ListDrillCandidates", List.class).size(),
        "both backups were candidates");
    // drill-3: a random pick with its window at the scheduled time (the window-at-scheduled-time version).
    Histories.record(client, "drill-random", "drill-3");
  }

  /**
   * A run started by a native Temporal Schedule carries TemporalScheduledStartTime: the random pick's window
   * ends there, not at the start (a catch-up run after an outage drills the period it was scheduled for).
   */
  @Test
  void aScheduledRandomDrillsWindowEndsAtItsScheduledTime() {
    backup("notes");
    env.sleep(java.time.Duration.ofMinutes(1));
    env.registerSearchAttribute(ScheduledTime.ATTRIBUTE, IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    OffsetDateTime scheduledAt = Instant.ofEpochMilli(env.currentTimeMillis()).minus(Duration.ofDays(10))
        .atOffset(ZoneOffset.UTC);
    Runbook runbook = new Runbook(Runbook.KIND_RESTORE_DRILL, "notes-daily", "notes", null, null, null,
        new RestoreSpec("random", "1d", null, null, null, null, null, null), null, List.of(NOTES_EXIST), null, null);
    WorkflowOptions scheduled = WorkflowOptions.newBuilder(options("drill-scheduled")).setTypedSearchAttributes(
        io.temporal.common.SearchAttributes.newBuilder()
            .set(SearchAttributeKey.forOffsetDateTime(ScheduledTime.ATTRIBUTE), scheduledAt).build()).build();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> client
        .newWorkflowStub(RestoreDrillWorkflow.class, scheduled).drill(new DrillRequest(runbook, null, "schedule")));
    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertTrue(failure.getOriginalMessage().contains("no verified backup in the window 1d (1 verified in all)"),
        "the day before the scheduled time had no backup: " + failure.getOriginalMessage());
  }

  private Runbook runbook(String database, String rto, SmokeCheck... smoke) {
    return new Runbook(Runbook.KIND_RESTORE_DRILL, database + "-drill", database, null, null, null,
        new RestoreSpec(null, null, null, null, null, null, null, rto), null, List.of(smoke), null, null);
  }

  /** Takes a backup; returns its id. */
  private String backup(String database) {
    return client.newWorkflowStub(BackupWorkflow.class, options("backup-" + database + "-" + System.nanoTime()))
        .backup(new BackupRequest(database, null, null)).backupId();
  }

  private DrillReport drill(String id, Runbook runbook) {
    return client.newWorkflowStub(RestoreDrillWorkflow.class, options(id)).drill(new DrillRequest(runbook, null,
        "test"));
  }

  private List<DrillReport> history(String database) {
    return client.newWorkflowStub(DrillHistoryWorkflow.class, options("history-" + System.nanoTime()))
        .history(database, 10);
  }

  /** The throwaway target a drill planned, as its PlanThrowawayTarget step returned it. */
  private ThrowawayTarget planned(String workflowId) {
    return Histories.activityResult(client, workflowId, "PlanThrowawayTarget", ThrowawayTarget.class);
  }

  private boolean exists(String workflowId) {
    return Files.exists(Path.of(planned(workflowId).dir()));
  }

  private static StepRecord step(DrillReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> names(List<StepRecord> steps) {
    return steps.stream().map(StepRecord::name).toList();
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.LIFEBOAT).setWorkflowId(id).build();
  }
}
