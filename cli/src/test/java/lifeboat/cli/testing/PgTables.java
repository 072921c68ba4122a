package lifeboat.cli.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lifeboat.activities.testing.PgCluster;

/** A few related PostgreSQL tables to back up, and their row counts. */
public final class PgTables {
  public static final List<String> TABLES = List.of("customers", "orders", "schema_version");

  private PgTables() {}

  public static void create(PgCluster pg, String db) {
    pg.createDatabase(db);
    pg.exec(db, String.join("\n",
        "CREATE TABLE schema_version(v int);",
        "INSERT INTO schema_version VALUES (7);",
        "CREATE TABLE customers(id serial PRIMARY KEY, name text NOT NULL);",
        "INSERT INTO customers(name) SELECT 'customer ' || g FROM generate_series(1, 321) g;",
        "CREATE TABLE orders(id serial PRIMARY KEY, customer_id int REFERENCES customers(id), total numeric);",
        "INSERT INTO orders(customer_id, total) SELECT 1 + g % 321, g * 1.5 FROM generate_series(1, 4567) g;"));
  }

  public static Map<String, String> rowCounts(PgCluster pg, String db) {
    Map<String, String> counts = new LinkedHashMap<>();
    for (String table : TABLES) {
      counts.put(table, pg.exec(db, "SELECT count(*) FROM " + table));
    }
    return counts;
  }
}
