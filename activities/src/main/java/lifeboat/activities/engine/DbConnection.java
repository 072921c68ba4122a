package lifeboat.activities.engine;

/**
 * Where a database is, with its resolved password. Lives only inside an activity: it is never returned to a
 * workflow, and its toString hides the password.
 *
 * @param url       libpq URI for postgres (postgresql://user@host:port/db, no password), mariadb://user@host:port/db
 *                  for mariadb, duckdb:PATH for duckdb, null for sqlite
 * @param path      file path for sqlite and duckdb, null for the servers
 * @param password  resolved password or null
 */
public record DbConnection(String url, String path, String password) {

  public static DbConnection postgres(String url, String password) {
    return new DbConnection(url, null, password);
  }

  public static DbConnection mariadb(String url, String password) {
    return new DbConnection(url, null, password);
  }

  public static DbConnection sqlite(String path) {
    return new DbConnection(null, path, null);
  }

  private static final String DUCKDB = "duckdb:";

  public static DbConnection duckdb(String path) {
    return new DbConnection(DUCKDB + path, path, null);
  }

  /** A DuckDB file (the other file engine is SQLite). */
  public boolean isDuckDb() {
    return url != null && url.startsWith(DUCKDB);
  }

  /** For messages: the URL or path, never the password. */
  public String display() {
    return url != null ? url : path;
  }

  @Override
  public String toString() {
    return "DbConnection[" + display() + "]";
  }
}
