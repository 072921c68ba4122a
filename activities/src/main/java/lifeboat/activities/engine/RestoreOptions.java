package lifeboat.activities.engine;

import java.util.List;
import java.util.Objects;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.RestoreRequest;

/**
 * How much of a backup a restore brings back, and how: all of it, or some tables, the schema only or the data
 * only; over existing objects (clean) or not; with the source's owners and grants or without (noOwner).
 *
 * @param tables  table names as pg_restore -t takes them, optionally schema-qualified ("public.users"); for
 *                MariaDB unqualified names of the backed-up database's tables
 */
public record RestoreOptions(int jobs, boolean clean, List<String> tables, boolean schemaOnly, boolean dataOnly,
                             boolean noOwner) {

  public RestoreOptions {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  public static RestoreOptions whole(int jobs, boolean clean) {
    return new RestoreOptions(jobs, clean, List.of(), false, false, false);
  }

  public static RestoreOptions of(RestoreRequest request) {
    return new RestoreOptions(Math.max(1, request.jobs()), request.clean(), request.tables(), request.schemaOnly(),
        request.dataOnly(), request.noOwner());
  }

  public boolean partial() {
    return !tables.isEmpty() || schemaOnly || dataOnly;
  }

  /**
   * The one schema the tables are qualified with, or null when none is. pg_restore intersects -n and -t, so
   * "a.x" and "b.y" in one restore would also match a.y and b.x: {@link #validate} refuses such a mix.
   */
  public String tableSchema() {
    return tables.stream().map(RestoreOptions::schemaOf).filter(Objects::nonNull).findFirst().orElse(null);
  }

  /** "public" of "public.users", null of "users". */
  public static String schemaOf(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? null : table.substring(0, dot);
  }

  /** "users" of "public.users" and of "users". */
  public static String nameOf(String table) {
    return table.substring(table.indexOf('.') + 1);
  }

  /** Refuses combinations no restore tool can honour, before anything is touched. User errors: not retried. */
  public void validate(String engine) {
    if (schemaOnly && dataOnly) {
      throw invalid("--schema-only and --data-only exclude each other",
          "give one of them, or neither to restore schema and data");
    }
    if (dataOnly && clean) {
      throw invalid("--clean cannot be combined with --data-only: it would drop the tables the data goes into",
          "restore the data into the existing tables without --clean, or restore schema and data with --clean");
    }
    if (engine.equals("mariadb") && (schemaOnly || dataOnly)) {
      throw invalid("--schema-only and --data-only are for PostgreSQL backups; this is a mariadb backup",
          "restore whole tables with --table, or the whole backup into a side database and copy from there");
    }
    if (engine.equals("mariadb") && tables.stream().anyMatch(t -> schemaOf(t) != null)) {
      throw invalid("a MariaDB backup is of one database: give --table name, not database.name (" + tables + ")",
          "name the table as the backed-up database has it; --to says which database it goes into");
    }
    if (partial() && !engine.equals("postgres") && !engine.equals("mariadb")) {
      throw invalid("partial restore (--table, --schema-only, --data-only) is for PostgreSQL and MariaDB backups;"
          + " this is a " + engine + " backup", "restore the whole backup to a side file (--to /tmp/side.db) and copy the rows "
                  + "you need from there (" + (engine.equals("duckdb") ? "duckdb: ATTACH '/tmp/side.db' AS side"
                      : "sqlite3: ATTACH DATABASE '/tmp/side.db' AS side") + ")");
    }
    if (noOwner && !engine.equals("postgres")) {
      throw invalid("--no-owner is for PostgreSQL backups; this is a " + engine + " backup",
          "restore without --no-owner (a MariaDB dump names no owners; its DEFINERs need the users: --globals)");
    }
    for (String t : tables) {
      if (t == null || t.isBlank() || nameOf(t).isEmpty() || "".equals(schemaOf(t))) {
        throw invalid("not a table name: '" + t + "'", "give --table name or --table schema.name");
      }
    }
    long qualified = tables.stream().filter(t -> schemaOf(t) != null).count();
    long schemas = tables.stream().map(RestoreOptions::schemaOf).filter(Objects::nonNull).distinct().count();
    if (schemas > 1 || (qualified > 0 && qualified < tables.size())) {
      throw invalid("the tables " + tables + " mix schemas: pg_restore would also match their cross combinations",
          "restore the tables of one schema at a time (or all unqualified, to match those names in every schema)");
    }
  }

  private static LifeboatException invalid(String message, String hint) {
    return new LifeboatException(ErrorCode.TARGET_INVALID, message, hint);
  }
}
