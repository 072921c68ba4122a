package lifeboat.workflows.model;

/**
 * What the worker's configuration says about a database, as far as orchestration needs to know it.
 *
 * @param engine        postgres | sqlite
 * @param repository    name of the repository the backups go to
 * @param encrypted     false only when the database says {@code encryption: none}
 * @param canDecrypt    a private key is configured here, so verification can decrypt and inspect the dump
 */
public record BackupPlan(String database, String engine, String repository, boolean encrypted, boolean canDecrypt) {}
