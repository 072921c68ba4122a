package lifeboat.workflows.premigration;

import lifeboat.workflows.runbook.Runbook;

/** @param runbook a pre-migration-backup runbook: the database, its migrator, who may approve a rollback */
public record PreMigrationRequest(Runbook runbook) {}
