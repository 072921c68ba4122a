package lifeboat.workflows.model;

import java.util.regex.Pattern;

/**
 * The two questions the CLI, the configuration check and the restore activity all ask of a target or URL,
 * answered in one place so they cannot drift apart.
 */
public final class ConnectionStrings {
  private static final Pattern WITH_PASSWORD = Pattern.compile("^[a-z]+://[^/@]*:[^/@]*@.*");

  private ConnectionStrings() {}

  /** postgres:// or postgresql://; anything else given as a restore target is a file path (SQLite, DuckDB). */
  public static boolean isPostgresUrl(String target) {
    return target.startsWith("postgresql://") || target.startsWith("postgres://");
  }

  /** mariadb:// or mysql://: a MariaDB/MySQL server (the MariaDB engine serves both); false for null (a file). */
  public static boolean isMariaDbUrl(String target) {
    return target != null && (target.startsWith("mariadb://") || target.startsWith("mysql://"));
  }

  /** A URL with a password in it (user:secret@host): refused everywhere, secrets travel as references. */
  public static boolean containsPassword(String url) {
    return WITH_PASSWORD.matcher(url).matches();
  }
}
