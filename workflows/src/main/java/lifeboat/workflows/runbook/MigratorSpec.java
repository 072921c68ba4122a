package lifeboat.workflows.runbook;

import java.util.List;
import java.util.Map;

/**
 * How a database's schema is brought forward: Flyway over a migrations folder (built in), or any command
 * run with {@code DATABASE_URL} in its environment ({@code npx prisma migrate deploy}, {@code alembic upgrade
 * head}, {@code npx forge push}).
 *
 * <pre>
 * migrator:
 *   type: flyway                     # flyway | command
 *   locations: [runbooks/migrations/app]  # flyway: folders of V1__name.sql files (relative: to the worker's home)
 *   command: "npx prisma migrate deploy"   # command: run by sh -c in workDir
 *   checkCommand: "npx forge diff --check" # optional: exit 0 means the schema is current
 *   workDir: ../app                  # command: where it runs (relative: to the worker's home; default: it)
 *   env: { NODE_ENV: production }    # command: extra environment (no secrets: use secret refs below)
 *   secretEnv: { API_TOKEN: env:API_TOKEN }   # command: secret refs resolved by the worker
 *   timeout: 30m                     # command: killed with its children after this (default 30m)
 * </pre>
 *
 * The worker's home is the folder of its lifeboat.yaml: a runbook travels in workflow history without its
 * folder, so paths can only mean something on the worker. See docs/migrators.md.
 */
public record MigratorSpec(
    String type,
    List<String> locations,
    String command,
    String checkCommand,
    String workDir,
    Map<String, String> env,
    Map<String, String> secretEnv,
    String timeout) {

  public static final String FLYWAY = "flyway";
  public static final String COMMAND = "command";
}
