package lifeboat.workflows.drill;

import lifeboat.workflows.runbook.Runbook;

/**
 * Input of RestoreDrillWorkflow.
 *
 * @param runbook  a restore-drill or restore-schema-push runbook (names and secret references only)
 * @param backup   overrides the runbook's restore.backup (latest, random, or an id); null = the runbook's
 * @param trigger  who started it: "cli", "schedule", "test" (recorded in the report)
 */
public record DrillRequest(Runbook runbook, String backup, String trigger) {}
