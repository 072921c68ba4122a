package lifeboat.activities.engine;

import java.util.ArrayList;
import java.util.List;

/** The pg_restore switches for a {@link RestoreOptions}, beside --dbname and --exit-on-error. */
final class PgRestoreArgs {
  private PgRestoreArgs() {}

  static List<String> of(RestoreOptions o) {
    List<String> args = new ArrayList<>();
    if (o.clean()) {
      args.addAll(List.of("--clean", "--if-exists"));
    }
    if (o.schemaOnly()) {
      args.add("--schema-only");
    }
    if (o.dataOnly()) {
      // The target keeps its schema and pg_restore cannot --clean data: one transaction, so an interrupted
      // attempt leaves no half-copied rows and a retry starts from the same state.
      args.addAll(List.of("--data-only", "--single-transaction"));
    }
    if (o.noOwner()) {
      args.addAll(List.of("--no-owner", "--no-privileges"));
    }
    String schema = o.tableSchema();
    if (schema != null) {
      args.addAll(List.of("-n", schema)); // pg_restore -t takes no schema: -n narrows it
    }
    for (String table : o.tables()) {
      args.addAll(List.of("-t", RestoreOptions.nameOf(table)));
    }
    return args;
  }
}
