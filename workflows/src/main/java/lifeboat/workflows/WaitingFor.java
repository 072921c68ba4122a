package lifeboat.workflows;

import io.temporal.workflow.Workflow;

/**
 * Workflow code: keeps the {@link SearchAttributes#WAITING_FOR} attribute saying what the workflow waits for, so
 * that `temporal workflow list --query "LifeboatWaitingFor='approval'"` and the Web UI find every run that waits
 * for a person. Only in a workflow that started with the attribute (its starter checked the server has it);
 * elsewhere nothing is written, and `lifeboat pending` asks the workflows themselves as before.
 */
public final class WaitingFor {
  public static final String APPROVAL = "approval";

  /** Versioned: histories recorded before this existed have no upsert here. */
  private static final String CHANGE = "waiting-for-attribute";

  /** Says the workflow now waits for {@code what}; empty says it works. */
  public static void set(String what) {
    if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) < 1
        || !Workflow.getTypedSearchAttributes().containsKey(SearchAttributes.WAITING_FOR_KEY)) {
      return;
    }
    Workflow.upsertTypedSearchAttributes(SearchAttributes.WAITING_FOR_KEY.valueSet(what));
  }

  private WaitingFor() {}
}
