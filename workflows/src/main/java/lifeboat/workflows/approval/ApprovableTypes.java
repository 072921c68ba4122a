package lifeboat.workflows.approval;

import java.util.Set;

/** Workflow types that can wait for a person: `lifeboat pending` asks only these (a query needs a worker). */
public final class ApprovableTypes {
  public static final Set<String> NAMES = Set.of("PreMigrationBackupWorkflow", "FailoverWorkflow");

  private ApprovableTypes() {}
}
