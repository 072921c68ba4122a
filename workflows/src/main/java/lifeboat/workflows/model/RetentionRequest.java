package lifeboat.workflows.model;

import lifeboat.workflows.runbook.RetentionPolicy;

/**
 * Input of {@code RetentionWorkflow}.
 *
 * @param database  a database name from the worker's lifeboat.yaml
 * @param policy    the GFS policy; null fields (or a null policy) take the defaults
 * @param dryRun    plan and report only: nothing is deleted and the repository is not written
 */
public record RetentionRequest(String database, RetentionPolicy policy, boolean dryRun) {}
