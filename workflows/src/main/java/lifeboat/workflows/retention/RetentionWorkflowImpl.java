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
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.model.RetentionRequest;
import lifeboat.workflows.model.RetentionResult;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * Orchestration of retention. The plan is computed here, deterministically, from the listing and workflow time;
 * the safety rules (docs/retention.md) are checked here too, before the first deletion.
 */
public class RetentionWorkflowImpl implements RetentionWorkflow {
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
    List<RetentionDecision> plan = log.run("plan", () -> {
      try {
        return GfsRetention.plan(listing.backups(), now, request.policy());
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
      return result(request, null, plan, RetentionDecision.WOULD_DELETE);
    }
    List<String> kept = plan.stream().filter(RetentionDecision::keep).map(RetentionDecision::backupId).toList();
    if (kept.size() == plan.size()) {
      return result(request, null, plan, null);
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
    return new RetentionResult(database, false, null, done);
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
