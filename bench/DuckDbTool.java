import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * bench/duckdb.sh's hands on DuckDB, through the same JDBC driver Lifeboat uses (a single-file program:
 * `java -cp duckdb_jdbc.jar bench/DuckDbTool.java VERB FILE [ARG]`):
 *   load FILE SCALE      the mixed data's shape (customers, orders with JSON items, events with JSON payloads and
 *                        digests) from range() with a fixed seed
 *   export FILE DIR      EXPORT DATABASE 'DIR' (FORMAT PARQUET, COMPRESSION ZSTD) over a read-only connection
 *   import FILE DIR      IMPORT DATABASE 'DIR' into a new FILE
 *   hash FILE            row counts and a hash of every table, to compare a restore with its source
 */
public class DuckDbTool {
  public static void main(String[] a) throws Exception {
    Properties props = new Properties();
    if (a[0].equals("export") || a[0].equals("hash")) {
      props.setProperty("duckdb.read_only", "true");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + a[1], props); Statement s = c.createStatement()) {
      switch (a[0]) {
        case "load" -> load(s, Integer.parseInt(a[2]));
        case "export" -> s.execute("EXPORT DATABASE '" + a[2] + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
        case "import" -> s.execute("IMPORT DATABASE '" + a[2] + "'");
        case "hash" -> {
          StringBuilder out = new StringBuilder();
          for (String t : new String[] {"customers", "orders", "events"}) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) || ':' || sum(hash(t)) FROM " + t + " t")) {
              rs.next();
              out.append(t).append('=').append(rs.getString(1)).append(' ');
            }
          }
          System.out.println(out.toString().trim());
        }
        default -> throw new IllegalArgumentException(a[0]);
      }
    }
  }

  private static void load(Statement s, int scale) throws Exception {
    s.execute("SELECT setseed(0.42)");
    s.execute("CREATE TABLE customers AS SELECT i AS id, 'user' || i || '@example.' || ['com','org','net','io'][1 + i % 4]"
        + " AS email, md5(i::VARCHAR) AS name, ['US','DE','FR','GB','JP','BR','IN','CA'][1 + (random() * 7)::INT] AS country,"
        + " TIMESTAMP '2026-01-01' - to_seconds((random() * 86400000)::BIGINT) AS created_at, random() < 0.3 AS opt_in"
        + " FROM range(1, " + (20000 * scale + 1) + ") t(i)");
    s.execute("CREATE TABLE orders AS SELECT i AS id, 1 + (random() * " + (20000 * scale - 1) + ")::BIGINT AS customer_id,"
        + " ['pending','paid','shipped','refunded'][1 + (random() * 3)::INT] AS status, round(random() * 500, 2)::DECIMAL(12,2) AS total,"
        + " '[{\"sku\":\"SKU-' || (random() * 10000)::INT || '\",\"qty\":' || (1 + (random() * 3)::INT) || ',\"price\":'"
        + " || round(random() * 100, 2) || '},{\"sku\":\"SKU-' || (random() * 10000)::INT || '\",\"note\":\"' || md5(random()::VARCHAR)"
        + " || '\"}]' AS items, TIMESTAMP '2026-01-01' - to_seconds((random() * 60480000)::BIGINT) AS placed_at"
        + " FROM range(1, " + (100000 * scale + 1) + ") t(i)");
    s.execute("CREATE TABLE events AS SELECT i AS id, 1 + (random() * " + (100000 * scale - 1) + ")::BIGINT AS order_id,"
        + " ['created','paid','packed','shipped','delivered','email_sent'][1 + (random() * 5)::INT] AS kind,"
        + " '{\"ip\":\"' || (random() * 255)::INT || '.' || (random() * 255)::INT || '.' || (random() * 255)::INT || '.'"
        + " || (random() * 255)::INT || '\",\"session\":\"' || md5(random()::VARCHAR) || '\",\"latency_ms\":'"
        + " || (random() * 900)::INT || '}' AS payload, md5(random()::VARCHAR) || md5(random()::VARCHAR) AS digest,"
        + " TIMESTAMP '2026-01-01' - to_seconds((random() * 60480000)::BIGINT) AS at"
        + " FROM range(1, " + (300000 * scale + 1) + ") t(i)");
    s.execute("CREATE VIEW revenue_by_country AS SELECT c.country, sum(o.total) AS revenue FROM orders o"
        + " JOIN customers c ON c.id = o.customer_id WHERE o.status IN ('paid','shipped') GROUP BY c.country");
    s.execute("CHECKPOINT");
  }
}
