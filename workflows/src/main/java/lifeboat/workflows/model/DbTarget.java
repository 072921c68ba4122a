package lifeboat.workflows.model;

/**
 * A database a step reads or changes, named without secrets: either the configured database itself
 * ({@code url} null: its lifeboat.yaml url/path and password), or another one by URL or SQLite path with a
 * secret reference to its password.
 *
 * @param database     the lifeboat.yaml database this is (or is a copy of): gives the engine and the
 *                     schemaVersionQuery
 * @param url          postgresql://user@host:port/db (no password) or a SQLite file path; null = the database itself
 * @param passwordRef  env:NAME / file:PATH, or null (trust, peer, .pgpass)
 */
public record DbTarget(String database, String url, String passwordRef) {

  public static DbTarget configured(String database) {
    return new DbTarget(database, null, null);
  }

  /** The configured database itself. (Not named isX: Jackson would write it into history as a field.) */
  public boolean inPlace() {
    return url == null;
  }
}
