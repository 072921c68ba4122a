package lifeboat.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/** Placeholder until the local-cluster demo lands: reports that PostgreSQL is skipped. */
final class PostgresDemo implements DemoDatabases.DemoDatabase, AutoCloseable {
  static PostgresDemo createIfInstalled(Path home, PrintWriter out) {
    out.println("PostgreSQL part of the demo: not built yet, skipped");
    return null;
  }

  @Override
  public String name() {
    return "app";
  }

  @Override
  public String engine() {
    return "postgres";
  }

  @Override
  public String configEntry() {
    return "";
  }

  @Override
  public String restoreTarget() {
    return "";
  }

  @Override
  public String restorePasswordRef() {
    return null;
  }

  @Override
  public Map<String, Long> rowCounts(boolean restored) throws SQLException {
    return Map.of();
  }

  @Override
  public void close() {}
}
