package lifeboat.workflows.runbook;

/**
 * One PostgreSQL server of a failover runbook: a libpq URL without a password, and a secret reference for it.
 *
 * @param url       postgresql://user@host:port/db (a superuser, or a role allowed pg_promote and ALTER SYSTEM)
 * @param password  env:NAME or file:PATH, or null (trust, .pgpass)
 */
public record FailoverEndpoint(String url, String password) {}
