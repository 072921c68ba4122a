package lifeboat.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.postgres.LocalCluster;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.runbook.RestoreSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ThrowawayTargetsTest for a MariaDB database, made for real: a throwaway mariadbd in the drill folder (created,
 * found running again by a retry, torn down with its port freed and its process gone; a half-made folder redone),
 * and a database on a MariaDB server acting as the drill server (made, made afresh, dropped despite an open
 * session). Planning refuses a server URL of the wrong engine.
 */
class MariaDbThrowawayTargetsTest {
  static final String DRILL_ID = "20261202T040000.000Z-maria";
  static final String NAME = "lifeboat_drill_20261202t040000_000z_maria";

  static MariaDbServer maria;
  @TempDir Path dir;
  Path drillFolder;
  DrillActivitiesImpl drills;

  @BeforeAll
  static void startServer() {
    maria = MariaDbServer.start();
    maria.createDatabase("shop");
  }

  @AfterAll
  static void stopServer() {
    if (maria != null) {
      maria.close();
    }
  }

  @BeforeEach
  void fixture() throws IOException {
    drillFolder = Path.of("/tmp", "lifeboat-drill-test-" + UUID.randomUUID().toString().substring(0, 8));
    Files.writeString(dir.resolve("maria.txt"), maria.password() + "\n");
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        databases:
          shop: { engine: mariadb, url: "%s", password: file:maria.txt, repository: local, encryption: none }
        """.formatted(maria.url("shop")));
    drills = new DrillActivitiesImpl(Workspace.fromFile(dir.resolve("lifeboat.yaml")), drillFolder);
  }

  @AfterEach
  void cleanup() {
    if (Files.exists(drillFolder)) {
      try (var dirs = Files.list(drillFolder)) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          drills.teardown(new ThrowawayTarget("cleanup", "shop", "mariadb", ThrowawayTarget.CLUSTER,
              d.getFileName().toString(), d.toString(), null, null, null, null));
        }
      } catch (IOException | RuntimeException e) {
        // best effort; the folder goes below
      }
      LocalCluster.deleteTree(drillFolder);
    }
  }

  static RestoreSpec spec(String target, String server, String password) {
    return new RestoreSpec(null, null, target, server, password, null, null, null);
  }

  @Test
  void throwawayServerIsCreatedFoundAgainByARetryAndTornDownWithItsPortFreed() throws Exception {
    ThrowawayTarget planned = drills.planThrowawayTarget("shop", spec("cluster", null, null), DRILL_ID);
    assertEquals(ThrowawayTarget.CLUSTER, planned.kind());
    assertEquals("mariadb", planned.engine());
    assertEquals(drillFolder.resolve(NAME).toString(), planned.dir());
    assertNull(planned.url());

    ThrowawayTarget created = drills.create(planned, () -> { });
    assertTrue(created.url().matches("mariadb://root@127\\.0\\.0\\.1:\\d+/" + NAME), created.url());
    assertNull(created.passwordRef(), "root without a password, reachable from this host only");
    int port = port(created.url());
    assertEquals(NAME, query(created.url(), "SELECT database()"));
    assertEquals("127.0.0.1", query(created.url(), "SELECT @@bind_address"));
    execute(created.url(), "CREATE TABLE half_restored(x int)");
    long pid = serverPid(planned);

    // a retry (the worker was killed after creating it): the running server is reused, the database made afresh
    ThrowawayTarget again = drills.create(planned, () -> { });
    assertEquals(created.url(), again.url());
    assertEquals(pid, serverPid(planned));
    assertEquals("0", query(again.url(), "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
        + NAME + "'"));

    assertEquals("stopped and deleted MariaDB server at " + planned.dir(), drills.teardown(planned));
    assertFalse(Files.exists(Path.of(planned.dir())));
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "mariadbd " + pid + " is gone");
    assertThrows(SQLException.class, () -> query(created.url(), "SELECT 1"));
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(port, s.getLocalPort());
    }
    assertEquals("nothing to remove: no MariaDB server at " + planned.dir(), drills.teardown(planned));
  }

  @Test
  void halfMadeServerFolderIsRemovedAndRedone() throws Exception {
    ThrowawayTarget planned = drills.planThrowawayTarget("shop", spec("cluster", null, null), DRILL_ID);
    Path half = Files.createDirectories(Path.of(planned.dir(), "data"));
    Files.writeString(half.resolve("aria_log.00000001"), "x"); // mariadb-install-db died half-way
    Files.writeString(Path.of(planned.dir(), "mariadbd.pid"), "999999\n"); // and no such process runs
    ThrowawayTarget created = drills.create(planned, () -> { });
    assertEquals(NAME, query(created.url(), "SELECT database()"));
    assertEquals("stopped and deleted MariaDB server at " + planned.dir(), drills.teardown(planned));
  }

  @Test
  void serverTargetIsCreatedRecreatedAndDroppedDespiteAnOpenSession() throws Exception {
    ThrowawayTarget planned = drills.planThrowawayTarget("shop",
        spec("server", maria.url("mysql"), "file:maria.txt"), DRILL_ID);
    assertEquals(ThrowawayTarget.SERVER, planned.kind());
    assertNull(planned.dir());

    ThrowawayTarget created = drills.create(planned, () -> { });
    assertEquals(maria.url(NAME), created.url());
    maria.exec(NAME, "CREATE TABLE half_restored(x int)");
    drills.create(planned, () -> { }); // an earlier attempt's database is dropped and made afresh
    assertEquals("0", maria.exec(null, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
        + NAME + "'"));

    try (Connection open = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + maria.port() + "/" + NAME,
        "root", maria.password()); Statement st = open.createStatement()) {
      st.execute("CREATE TABLE held(x int)");
      st.execute("BEGIN");
      st.execute("INSERT INTO held VALUES (1)"); // a metadata lock DROP DATABASE would wait on
      assertEquals("dropped database " + NAME + " on " + maria.url(NAME), drills.teardown(planned));
      assertFalse(open.isValid(2), "the open session was ended");
    }
    assertEquals("0", maria.exec(null, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
        + NAME + "'"));
    assertEquals("nothing to remove: no database " + NAME + " on " + maria.url("mysql"), drills.teardown(planned));
  }

  @Test
  void aServerUrlOfTheWrongEngineOrWithAPasswordFailsAtPlanning() {
    for (String server : List.of("postgresql://lifeboat@drill-db:5432/postgres", "mariadb://u:secret@h:3306/mysql",
        "mariadb://u@h:3306/")) {
      ApplicationFailure f = assertThrows(ApplicationFailure.class,
          () -> drills.planThrowawayTarget("shop", spec("server", server, null), DRILL_ID), server);
      assertTrue(f.getOriginalMessage().contains("HINT:"), f.getOriginalMessage());
      assertFalse(f.getOriginalMessage().contains("secret"), f.getOriginalMessage());
      assertTrue(f.isNonRetryable(), server);
    }
  }

  private static long serverPid(ThrowawayTarget t) throws IOException {
    return Long.parseLong(Files.readString(Path.of(t.dir(), "mariadbd.pid")).trim());
  }

  private static int port(String url) {
    return Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
  }

  private static String jdbc(String url) {
    return url.replace("mariadb://root@", "jdbc:mariadb://");
  }

  static String query(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc(url), "root", null);
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc(url), "root", null); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
