package lifeboat.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import lifeboat.worker.demo.DemoCluster;

/**
 * The demo's PostgreSQL database: a throwaway local cluster (see {@link DemoCluster}, which the worker side makes) holding "app", a small
 * shop schema, and an empty "app_restored" for the restore to fill. Only there when the server binaries are.
 */
final class PostgresDemo implements DemoDatabases.DemoDatabase, AutoCloseable {
  /** Counted in the source and in the restored copy; the view checks that it came back and still works. */
  static final List<String> COUNTED = List.of("customers", "orders", "schema_version", "customer_totals");
  static final String PASSWORD_FILE = "pg-password";

  private final DemoCluster cluster;
  private final String password;
  private final Path passwordFile;

  private PostgresDemo(DemoCluster cluster, String password, Path passwordFile) {
    this.cluster = cluster;
    this.password = password;
    this.passwordFile = passwordFile;
  }

  /** The database, or null (after one line saying why) when PostgreSQL cannot run here. */
  static PostgresDemo createIfInstalled(Path home, PrintWriter out) throws IOException, SQLException {
    String password = newPassword();
    DemoCluster cluster;
    try {
      cluster = DemoCluster.start(home.resolve("pg"), password);
    } catch (DemoCluster.Unavailable | IOException | RuntimeException e) {
      // the SQLite part still shows the whole loop; a broken local PostgreSQL should not hide it
      out.println("PostgreSQL part of the demo skipped: " + e.getMessage());
      return null;
    }
    PostgresDemo demo = null;
    try {
      // lifeboat.yaml names the password as file:pg-password, resolved relative to the yaml's folder (home)
      Path passwordFile = home.resolve(PASSWORD_FILE);
      Files.deleteIfExists(passwordFile);
      Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(passwordFile, password + "\n");
      demo = new PostgresDemo(cluster, password, passwordFile);
      out.println("started a throwaway PostgreSQL cluster on 127.0.0.1:" + cluster.port()
          + " (data " + cluster.dataDir() + ", log " + cluster.logFile() + ")");
      if (cluster.note() != null) {
        out.println("  note: " + cluster.note());
      }
      demo.createDatabases();
      out.println("created PostgreSQL database app (customers, orders, a view, a sequence) and an empty"
          + " app_restored; password in " + passwordFile);
      return demo;
    } catch (IOException | SQLException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(cluster.jdbcUrl(database), "postgres", password);
  }

  private void createDatabases() throws SQLException {
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.executeUpdate("create database app");
      s.executeUpdate("create database app_restored");
    }
    try (Connection c = connect("app"); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("create table schema_version (version int primary key, applied_at timestamptz default now())");
      s.executeUpdate("insert into schema_version (version) values (1), (2), (3)");
      s.executeUpdate("create sequence invoice_no start 10000");
      s.executeUpdate("create table customers (id bigint generated always as identity primary key,"
          + " email text not null unique, name text not null, created_at timestamptz not null)");
      s.executeUpdate("create table orders (id bigint generated always as identity primary key,"
          + " customer_id bigint not null references customers(id),"
          + " invoice bigint not null default nextval('invoice_no'),"
          + " total numeric(10,2) not null, details jsonb not null, placed_at timestamptz not null)");
      s.executeUpdate("create index orders_customer_placed on orders (customer_id, placed_at)");
      s.executeUpdate("create view customer_totals as select c.id, c.email, count(o.id) as orders,"
          + " coalesce(sum(o.total), 0) as spent from customers c left join orders o on o.customer_id = c.id"
          + " group by c.id, c.email");
      insertRows(c);
      c.commit();
    }
  }

  /** 500 customers and 4000 orders: a few thousand rows, enough for a dump that is more than a toy. */
  private static void insertRows(Connection c) throws SQLException {
    try (PreparedStatement customer = c.prepareStatement("insert into customers (email, name, created_at)"
        + " values (?, ?, timestamptz '2026-01-01' + ? * interval '1 hour')")) {
      for (int i = 1; i <= 500; i++) {
        customer.setString(1, "customer" + i + "@example.com");
        customer.setString(2, "Customer " + i);
        customer.setInt(3, i);
        customer.addBatch();
      }
      customer.executeBatch();
    }
    String[] items = {"rope", "lifejacket", "flare", "paddle", "whistle"};
    try (PreparedStatement order = c.prepareStatement("insert into orders (customer_id, total, details,"
        + " placed_at) values (?, ?, ?::jsonb, timestamptz '2026-02-01' + ? * interval '7 minutes')")) {
      for (int i = 1; i <= 4000; i++) {
        String item = items[i % items.length];
        int quantity = 1 + i % 4;
        order.setLong(1, 1 + i % 500);
        order.setBigDecimal(2, java.math.BigDecimal.valueOf(quantity * (995 + i % 300), 2));
        order.setString(3, "{\"items\": [{\"sku\": \"" + item + "\", \"qty\": " + quantity + "}],"
            + " \"gift\": " + (i % 9 == 0) + "}");
        order.setInt(4, i);
        order.addBatch();
      }
      order.executeBatch();
    }
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
    return "{ engine: postgres, url: \"postgresql://postgres@127.0.0.1:" + cluster.port() + "/app\","
        + " password: file:" + PASSWORD_FILE + ", repository: local,"
        + " schemaVersionQuery: \"select max(version) from schema_version\" }";
  }

  @Override
  public String restoreTarget() {
    return "postgresql://postgres@127.0.0.1:" + cluster.port() + "/app_restored";
  }

  /** Absolute, so it does not depend on which folder the worker resolves file: references against. */
  @Override
  public String restorePasswordRef() {
    return "file:" + passwordFile.toAbsolutePath();
  }

  @Override
  public Map<String, Long> rowCounts(boolean restored) throws SQLException {
    try (Connection c = connect(restored ? "app_restored" : "app")) {
      return DemoDatabases.countRows(c, COUNTED);
    }
  }

  /** Stops the cluster; its files stay in the demo folder (unless they had to go to /tmp). */
  @Override
  public void close() {
    cluster.close();
  }
}
