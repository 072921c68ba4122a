package lifeboat.workflows.schedule;

import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The time a run was scheduled for. A native Temporal Schedule sets the system search attribute
 * {@code TemporalScheduledStartTime} on every run it starts (and appends that time to the workflow id); a run
 * started otherwise (by hand, by ScheduleWorkflow, which starts its children at their fire time) has none, and
 * its workflow start time stands in. Read from the start event: deterministic on replay. Workflow code only.
 */
public final class ScheduledTime {
  /** Set by the Temporal server on each run a Schedule starts; the server owns it, nobody registers it. */
  public static final String ATTRIBUTE = "TemporalScheduledStartTime";
  private static final SearchAttributeKey<OffsetDateTime> KEY = SearchAttributeKey.forOffsetDateTime(ATTRIBUTE);

  private ScheduledTime() {}

  /** The scheduled time of this run, or its workflow time now when it was not started by a Schedule. */
  public static Instant orNow() {
    OffsetDateTime scheduled = Workflow.getTypedSearchAttributes().get(KEY);
    return scheduled != null ? scheduled.toInstant() : Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
