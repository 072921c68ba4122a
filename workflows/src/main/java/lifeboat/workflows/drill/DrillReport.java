package lifeboat.workflows.drill;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import lifeboat.workflows.model.StepRecord;

/**
 * What a drill proved, written to the repository as JSON and Markdown ({@code drills/<database>/<drillId>.*})
 * and returned by RestoreDrillWorkflow.
 *
 * @param kind                   restore-drill or restore-schema-push
 * @param backupId               the backup restored (null when none could be picked)
 * @param backupSchemaVersion    the schema version its manifest records
 * @param restoredSchemaVersion  what the restored target reports before migration
 * @param migratedSchemaVersion  what it reports after the migrator ran (null without a migrator)
 * @param drillSeconds           provision to teardown, the time a real restore would take
 * @param rtoSeconds             the runbook's recovery-time objective, null when none is set
 * @param rtoMet                 drillSeconds &lt;= rtoSeconds (null without an objective, or when nothing was
 *                               restored: a drill that failed before restoring proves no recovery time)
 * @param failure                why it failed (null when it succeeded)
 * @param steps                  every step with its start, end and outcome
 */
public record DrillReport(
    String drillId,
    String workflowId,
    String kind,
    String runbook,
    String database,
    String trigger,
    String backupId,
    String backupTakenAt,
    String target,
    String backupSchemaVersion,
    String restoredSchemaVersion,
    String migratedSchemaVersion,
    String migrator,
    List<SmokeResult> smoke,
    long startedAtMillis,
    long endedAtMillis,
    double drillSeconds,
    Double rtoSeconds,
    Boolean rtoMet,
    boolean success,
    String failure,
    List<StepRecord> steps) {

  public DrillReport {
    smoke = smoke == null ? List.of() : List.copyOf(smoke);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** The step that restores the backup into the target; the RTO is about it. */
  public static final String RESTORE_STEP = "restore";

  /** Whether {@code steps} hold a restore that finished. */
  public static boolean restoreRan(List<StepRecord> steps) {
    return steps.stream().anyMatch(s -> RESTORE_STEP.equals(s.name()) && "ok".equals(s.outcome()));
  }

  /**
   * The RTO verdict to show: {@link #rtoMet} when a restore finished, else null. Reports written before the
   * workflow left rtoMet out for a drill that restored nothing say "met" there; this keeps them from saying so.
   */
  @JsonIgnore
  public Boolean rtoVerdict() {
    return restoreRan(steps) ? rtoMet : null;
  }
}
