package lifeboat.workflows.retention;

import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.activities.RetentionActivities;
import lifeboat.workflows.errors.WorkflowError;
import lifeboat.workflows.model.BackupListing;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.BinlogNames;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * Orchestration of retention. The plan is computed here, deterministically, from the listing and workflow time;
 * the safety rules (docs/retention.md) are checked here too, before the first deletion.
 */
public class RetentionWorkflowImpl implements RetentionWorkflow {
  /** Retention prunes a MariaDB database's binlog archive before the oldest kept dump's binlog file. */
  static final String BINLOG_RETENTION = "binlog-retention";

  /** Failure type of an invalid policy: not retried, a person must fix the runbook or the flags. */

  private final RetentionActivities repository = Workflow.newActivityStub(RetentionActivities.class);
  private final StepLog log = new StepLog();

  @Override
  public RetentionResult run(RetentionRequest request) {
    try {
      RetentionResult result = prune(request);
      log.finished();
      return result;
    } catch (RuntimeException e) {
      log.failed(e);
      throw e;
    }
  }

  private RetentionResult prune(RetentionRequest request) {
    String database = request.database();
    BackupListing listing = log.run("list-backups", () -> repository.listForRetention(database));
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    // Base backups and dumps are kept by the same rules, each kind on its own: a nightly dump must not count as
    // the day's base backup, nor the reverse.
    boolean byKind = Workflow.getVersion("retention-by-kind", Workflow.DEFAULT_VERSION, 1) >= 1;
    List<RetentionDecision> plan = log.run("plan", () -> {
      try {
        return byKind ? byKind(listing.backups(), now, request.policy())
            : GfsRetention.plan(listing.backups(), now, request.policy());
      } catch (IllegalArgumentException e) {
        // Thrown as is, it would fail the workflow task and be retried forever.
        throw WorkflowError.RETENTION_POLICY_INVALID.failure("invalid retention policy: " + e.getMessage());
      }
    });

    String refusal = refusal(listing, plan);
    if (refusal != null) {
      return result(request, refusal, plan, RetentionDecision.REFUSED);
    }
    if (request.dryRun()) {
      return withWal(byKind, request, listing, plan, result(request, null, plan, RetentionDecision.WOULD_DELETE));
    }
    List<String> kept = plan.stream().filter(RetentionDecision::keep).map(RetentionDecision::backupId).toList();
    if (kept.size() == plan.size()) {
      return withWal(byKind, request, listing, plan, result(request, null, plan, null));
    }
    // Recorded first: if a deletion fails half-way, the repository holds at least what the record says.
    log.run("record-kept", () -> repository.recordRetention(database, kept));
    Map<String, BackupManifest> manifests = listing.backups().stream()
        .collect(Collectors.toMap(BackupManifest::backupId, Function.identity()));
    List<RetentionDecision> done = new ArrayList<>();
    for (RetentionDecision d : plan) {
      if (d.keep()) {
        done.add(d.withOutcome(RetentionDecision.KEPT));
      } else {
        String outcome = log.run("delete-backup", () -> repository.deleteBackup(manifests.get(d.backupId())));
        done.add(d.withOutcome(outcome));
      }
    }
    return withWal(byKind, request, listing, plan, new RetentionResult(database, false, null, done));
  }

  /** Each kind (dumps, base backups) planned on its own, merged newest first as GfsRetention orders one plan. */
  private static List<RetentionDecision> byKind(List<BackupManifest> backups, Instant now,
      lifeboat.workflows.runbook.RetentionPolicy policy) {
    List<RetentionDecision> plan = new ArrayList<>(GfsRetention.plan(
        backups.stream().filter(m -> !m.baseBackup()).toList(), now, policy));
    plan.addAll(GfsRetention.plan(backups.stream().filter(BackupManifest::baseBackup).toList(), now, policy));
    plan.sort(java.util.Comparator.comparing(RetentionDecision::backupId).reversed());
    return plan;
  }

  /**
   * After the backups, the WAL: everything older than the first segment the oldest kept base backup needs. No
   * kept base backup, no WAL removed (nothing says what is safe to remove). MariaDB: the binlog files before the
   * one the oldest kept dump's snapshot sits in (versioned {@link #BINLOG_RETENTION}).
   */
  private RetentionResult withWal(boolean byKind, RetentionRequest request, BackupListing listing,
      List<RetentionDecision> plan, RetentionResult result) {
    if (!byKind) {
      return result;
    }
    java.util.Set<String> kept = plan.stream().filter(RetentionDecision::keep).map(RetentionDecision::backupId)
        .collect(Collectors.toSet());
    String keepFrom = listing.backups().stream().filter(BackupManifest::baseBackup)
        .filter(m -> kept.contains(m.backupId())).map(m -> m.base().startSegment())
        .min(java.util.Comparator.comparing((String segment) -> segment.substring(8)).thenComparing(s -> s))
        .orElse(null);
    if (keepFrom == null) {
      String binlogFrom = listing.backups().stream().filter(m -> !m.baseBackup() && kept.contains(m.backupId()))
          .filter(m -> m.snapshot() != null && m.snapshot().binlogFile() != null)
          .map(m -> m.snapshot().binlogFile()).min(BinlogNames.ORDER).orElse(null);
      // Only kept dumps with a binlog position (MariaDB's) reach this: recorded runs replay as they ran.
      if (binlogFrom == null || Workflow.getVersion(BINLOG_RETENTION, Workflow.DEFAULT_VERSION, 1) < 1) {
        return result;
      }
      return result.withWal(log.run("prune-binlog",
          () -> repository.pruneWal(request.database(), binlogFrom, request.dryRun())));
    }
    return result.withWal(log.run("prune-wal",
        () -> repository.pruneWal(request.database(), keepFrom, request.dryRun())));
  }

  /** The safety rule that forbids deleting anything now, or null. */
  static String refusal(BackupListing listing, List<RetentionDecision> plan) {
    if (!listing.complete()) {
      return "the listing cannot be trusted: " + String.join("; ", listing.problems());
    }
    if (!plan.isEmpty() && !plan.get(0).verified()) {
      return "the newest backup " + plan.get(0).backupId() + " is not verified";
    }
    RetentionDecision newestVerified = plan.stream().filter(RetentionDecision::verified).findFirst().orElse(null);
    if (newestVerified != null && !newestVerified.keep()) {
      return "the plan would delete the newest verified backup " + newestVerified.backupId();
    }
    return null;
  }

  /** The plan with kept backups marked kept and the ones to delete marked {@code deleteOutcome}. */
  private static RetentionResult result(RetentionRequest request, String refusal, List<RetentionDecision> plan,
      String deleteOutcome) {
    return new RetentionResult(request.database(), request.dryRun(), refusal, plan.stream()
        .map(d -> d.withOutcome(d.keep() ? RetentionDecision.KEPT : deleteOutcome)).toList());
  }

  @Override
  public WorkflowProgress progress() {
    return log.progress();
  }
}
