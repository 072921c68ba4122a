package lifeboat.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.Metrics;
import lifeboat.activities.testing.PgCluster;
import lifeboat.activities.testing.SqliteFiles;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.runbook.RestoreSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throwaway targets made for real: an initdb cluster on this machine, a database on a PostgreSQL server acting
 * as the drill server, a SQLite file; each created twice and torn down twice; and the guard that keeps a
 * teardown from removing anything a drill did not make.
 */
class ThrowawayTargetsTest {
  static final String DRILL_ID = "20261126T040000.000Z-abcd";
  static final String NAME = "lifeboat_drill_20261126t040000_000z_abcd";

  static PgCluster pg;

  @TempDir Path dir;
  DrillFixture fx;

  @BeforeAll
  static void startServer() {
    pg = PgCluster.start();
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void fixture() throws IOException {
    fx = new DrillFixture(dir, pg, Metrics.none());
  }

  @AfterEach
  void cleanup() throws IOException {
    fx.close();
  }

  static RestoreSpec spec(String target, String server, String password) {
    return new RestoreSpec(null, null, target, server, password, null, null, null);
  }

  @Test
  void clusterIsCreatedAnswersAndIsTornDownWithItsPortFreed() throws Exception {
    ThrowawayTarget planned = fx.drills.planThrowawayTarget("app", spec("cluster", null, null), DRILL_ID);
    assertEquals(ThrowawayTarget.CLUSTER, planned.kind());
    assertEquals(NAME, planned.name());
    assertEquals(fx.drillFolder.resolve(NAME).toString(), planned.dir());
    assertNull(planned.url());

    AtomicInteger beats = new AtomicInteger();
    ThrowawayTarget created = fx.drills.create(planned, beats::incrementAndGet);
    assertTrue(created.url().matches("postgresql://postgres@127\\.0\\.0\\.1:\\d+/" + NAME), created.url());
    int port = port(created.url());
    assertEquals(NAME, query(created.url(), "SELECT current_database()"));
    assertEquals("127.0.0.1/32", query(created.url(), "SELECT inet_server_addr()::text"));
    execute(created.url(), "CREATE TABLE half_restored(x int)");

    // a retry (the worker was killed after creating it): the running server is reused, the database made afresh
    long pid = postmasterPid(planned);
    ThrowawayTarget again = fx.drills.create(planned, beats::incrementAndGet);
    assertEquals(created.url(), again.url());
    assertEquals(pid, postmasterPid(planned));
    assertEquals("0", query(again.url(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

    assertEquals("stopped and deleted cluster at " + planned.dir(), fx.drills.teardown(planned));
    assertFalse(Files.exists(Path.of(planned.dir())));
    SQLException refused = assertThrows(SQLException.class, () -> query(created.url(), "SELECT 1"));
    assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(port, s.getLocalPort());
    }
    assertEquals("nothing to remove: no cluster at " + planned.dir(), fx.drills.teardown(planned));
  }

  @Test
  void halfMadeClusterDirectoryIsRemovedAndRedone() throws Exception {
    ThrowawayTarget planned = fx.drills.planThrowawayTarget("app", spec("cluster", null, null), DRILL_ID);
    Path data = Files.createDirectories(Path.of(planned.dir()));
    Files.writeString(data.resolve("PG_VERSION"), "15\n"); // initdb died half-way through an earlier attempt
    ThrowawayTarget created = fx.drills.create(planned, () -> { });
    assertEquals(NAME, query(created.url(), "SELECT current_database()"));
    assertEquals("stopped and deleted cluster at " + planned.dir(), fx.drills.teardown(planned));
  }

  @Test
  void serverTargetIsCreatedRecreatedAndDroppedDespiteAnOpenSession() throws Exception {
    ThrowawayTarget planned = fx.drills.planThrowawayTarget("app",
        spec("server", pg.url("postgres"), "file:pgpass.txt"), DRILL_ID);
    assertEquals(ThrowawayTarget.SERVER, planned.kind());
    assertNull(planned.dir());

    ThrowawayTarget created = fx.drills.create(planned, () -> { });
    assertEquals(pg.url(NAME), created.url());
    assertEquals("1", pg.exec("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + NAME + "'"));
    pg.exec(NAME, "CREATE TABLE half_restored(x int)");

    fx.drills.create(planned, () -> { }); // an earlier attempt's database is dropped and made afresh
    assertEquals("0", pg.exec(NAME, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

    try (Connection open = DriverManager.getConnection(pg.jdbc(NAME), "postgres", pg.password())) {
      assertEquals("dropped database " + NAME + " on " + pg.url(NAME), fx.drills.teardown(planned));
      assertFalse(open.isValid(2), "DROP DATABASE ... WITH (FORCE) ended the open session");
    }
    assertEquals("0", pg.exec("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + NAME + "'"));
    assertEquals("nothing to remove: no database " + NAME + " on " + pg.url("postgres"),
        fx.drills.teardown(planned));
  }

  @Test
  void sqliteTargetIsAFreshPathInTheDrillFolder() throws Exception {
    ThrowawayTarget planned = fx.drills.planThrowawayTarget("lite", null, DRILL_ID);
    assertEquals(ThrowawayTarget.FILE, planned.kind());
    assertEquals(fx.drillFolder.resolve(NAME + ".db").toString(), planned.dir());
    Files.createDirectories(fx.drillFolder);
    Files.writeString(Path.of(planned.dir()), "left by an earlier attempt");

    ThrowawayTarget created = fx.drills.create(planned, () -> { });
    assertEquals(planned.dir(), created.url());
    assertFalse(Files.exists(Path.of(created.url())), "a fresh, absent path: the restore makes the file");

    SqliteFiles.sql(Path.of(created.url()), "create table t(x)", "insert into t values (1)");
    Files.writeString(Path.of(created.url() + "-wal"), "");
    assertEquals("deleted " + planned.dir(), fx.drills.teardown(planned));
    assertFalse(Files.exists(Path.of(planned.dir())));
    assertFalse(Files.exists(Path.of(planned.dir() + "-wal")));
    assertEquals("nothing to remove: no file " + planned.dir(), fx.drills.teardown(planned));
  }

  @Test
  void teardownRefusesWhatNoDrillMade() throws Exception {
    pg.createDatabase("precious");
    ThrowawayTarget notADrillDb = new ThrowawayTarget(DRILL_ID, "app", "postgres", ThrowawayTarget.SERVER,
        "precious", null, pg.url("postgres"), "file:pgpass.txt", null, null);
    assertRefused(() -> fx.drills.teardown(notADrillDb));
    assertEquals("1", pg.exec("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'precious'"));

    Path elsewhere = Files.writeString(dir.resolve(NAME + ".db"), "not in the drill folder");
    assertRefused(() -> fx.drills.teardown(new ThrowawayTarget(DRILL_ID, "lite", "sqlite", ThrowawayTarget.FILE,
        NAME, elsewhere.toString(), null, null, null, null)));
    assertTrue(Files.exists(elsewhere));

    Path sneaky = fx.drillFolder.resolve("..").resolve(NAME);
    assertRefused(() -> fx.drills.teardown(new ThrowawayTarget(DRILL_ID, "app", "postgres",
        ThrowawayTarget.CLUSTER, NAME, sneaky.toString(), null, null, null, null)));
    assertRefused(() -> fx.drills.teardown(new ThrowawayTarget(DRILL_ID, "app", "postgres",
        ThrowawayTarget.SERVER, "lifeboat_drill_x\"; DROP DATABASE precious; --", null, pg.url("postgres"),
        "file:pgpass.txt", null, null)));
    assertEquals("1", pg.exec("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'precious'"));
  }

  @Test
  void unsuitableSpecsFailAtPlanningWithAHint() {
    assertPlanFails(spec("server", null, null), "DRILL_TARGET_INVALID", "needs restore.server");
    assertPlanFails(spec("server", "postgresql://u:secret@h/db", null), "DRILL_TARGET_INVALID", "password");
    assertPlanFails(spec("server", pg.url("postgres"), "hunter2"), "DRILL_TARGET_INVALID", "literal");
    assertPlanFails(spec("moon", null, null), "DRILL_TARGET_INVALID", "restore.target 'moon'");
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> fx.drills.planThrowawayTarget("nope", null, DRILL_ID));
    assertEquals("UNKNOWN_DATABASE", f.getType());
  }

  @Test
  void namesAreSanitizedAndCutToPostgresLimit() {
    assertEquals(NAME, DrillPlaces.name(DRILL_ID));
    String longName = DrillPlaces.name("X".repeat(100));
    assertEquals(63, longName.length());
    assertTrue(DrillPlaces.isDrillName(longName));
    assertFalse(DrillPlaces.isDrillName("lifeboat_drill_"));
    assertEquals("postgresql://u@h:5/lifeboat_drill_x?sslmode=require",
        ThrowawayTargets.withDatabase("postgresql://u@h:5/postgres?sslmode=require", "lifeboat_drill_x"));
    assertEquals("postgresql://u@h/lifeboat_drill_x", ThrowawayTargets.withDatabase("postgresql://u@h", "lifeboat_drill_x"));
  }

  private void assertPlanFails(RestoreSpec spec, String type, String text) {
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> fx.drills.planThrowawayTarget("app", spec, DRILL_ID));
    assertEquals(type, f.getType());
    assertTrue(f.getOriginalMessage().contains(text), f.getOriginalMessage());
    assertTrue(f.getOriginalMessage().contains("HINT:"), f.getOriginalMessage());
    assertFalse(f.getOriginalMessage().contains("secret@") || f.getOriginalMessage().contains("hunter2"),
        f.getOriginalMessage());
    assertTrue(f.isNonRetryable());
  }

  private static void assertRefused(org.junit.jupiter.api.function.Executable teardown) {
    LifeboatException e = assertThrows(LifeboatException.class, teardown);
    assertEquals(ErrorCode.DRILL_TARGET_INVALID, e.code());
    assertTrue(e.getMessage().startsWith("refusing to touch a throwaway target"), e.getMessage());
  }

  private static long postmasterPid(ThrowawayTarget t) throws IOException {
    return Long.parseLong(Files.readAllLines(Path.of(t.dir(), "postmaster.pid")).get(0).trim());
  }

  private static int port(String url) {
    return Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
  }

  private static String jdbc(String url) {
    return url.replace("postgresql://postgres@", "jdbc:postgresql://");
  }

  static String query(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", null);
         Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", null);
         Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * A starting worker's sweep (OrphanedDrillTargets): only a target whose drill workflow Temporal reports closed
   * or unknown is removed (and its ledger entry, said in one line); a running drill's, another namespace's, one
   * without a recorded workflow, and one Temporal cannot answer for are kept.
   */
  @Test
  void aSweepRemovesOnlyTargetsOfClosedOrUnknownDrillWorkflows() throws Exception {
    ThrowawayTarget running = clusterOf("20261126T040000.000Z-0001", "drill-running", "default");
    ThrowawayTarget failed = clusterOf("20261126T040000.000Z-0002", "drill-failed", "default");
    ThrowawayTarget unknown = clusterOf("20261126T040000.000Z-0003", "drill-unknown", "default");
    ThrowawayTarget elsewhere = clusterOf("20261126T040000.000Z-0004", "drill-unknown", "other-namespace");
    ThrowawayTarget unrecorded = clusterOf("20261126T040000.000Z-0005", null, null);
    ThrowawayTarget unanswered = clusterOf("20261126T040000.000Z-0006", "drill-unanswered", "default");
    Map<String, String> states = Map.of("drill-failed", "failed", "drill-unknown", "not known to Temporal");
    List<String> asked = new ArrayList<>();

    List<String> lines = new OrphanedDrillTargets(fx.workspace, fx.drillFolder).remove("default", id -> {
      asked.add(id);
      if (id.equals("drill-unanswered")) {
        throw new IllegalStateException("UNAVAILABLE: io exception");
      }
      return states.get(id);
    });

    assertEquals(List.of("drill-running", "drill-failed", "drill-unknown", "drill-unanswered"), asked);
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.contains("removed drill target " + failed.describe() + ": its drill workflow drill-failed is"
        + " failed (stopped and deleted cluster at " + failed.dir() + ")"), String.join("\n", lines));
    assertTrue(lines.contains("removed drill target " + unknown.describe() + ": its drill workflow drill-unknown is"
        + " not known to Temporal (stopped and deleted cluster at " + unknown.dir() + ")"), String.join("\n", lines));
    assertTrue(lines.contains("left drill target " + unanswered.describe() + " of workflow drill-unanswered alone:"
        + " Temporal could not say whether it runs (UNAVAILABLE: io exception)"), String.join("\n", lines));
    for (ThrowawayTarget gone : List.of(failed, unknown)) {
      assertFalse(Files.exists(Path.of(gone.dir())), gone.dir());
      assertFalse(Files.exists(entry(gone)), "its ledger entry is removed with it");
    }
    for (ThrowawayTarget kept : List.of(running, elsewhere, unrecorded, unanswered)) {
      assertTrue(Files.exists(Path.of(kept.dir()).resolve("postmaster.pid")), "still running: " + kept.dir());
      assertTrue(Files.exists(entry(kept)), kept.drillId());
    }
    assertTrue(Files.readString(entry(running)).contains("\"workflowId\":\"drill-running\""));
  }

  /** A cluster target created as the drill workflow {@code workflowId} would (null: outside a workflow). */
  private ThrowawayTarget clusterOf(String drillId, String workflowId, String namespace) {
    ThrowawayTarget planned = fx.drills.planThrowawayTarget("app",
        new RestoreSpec(null, null, "cluster", null, null, null, null, null), drillId);
    fx.drills.create(planned, () -> { }, workflowId, namespace);
    return planned;
  }

  private Path entry(ThrowawayTarget t) {
    return dir.resolve("repo").resolve(DrillTargetLedger.key(t.database(), t.drillId()));
  }
}
