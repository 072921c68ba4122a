package lifeboat.activities.drill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.runbook.SmokeExpectation;

/**
 * Runs a runbook's smoke checks on one connection, each with a statement timeout. A check that fails (a
 * wrong answer, an SQL error, a bad expectation) is reported and the next one runs; only a database that
 * cannot be reached at all fails the step.
 */
public final class SmokeChecks {
  static final int TIMEOUT_SECONDS = 60;
  static final String PROBE_TABLE = "lifeboat_drill_probe";

  private SmokeChecks() {}

  public static List<SmokeResult> run(DbConnection db, List<SmokeCheck> checks, Runnable heartbeat) {
    List<SmokeResult> results = new ArrayList<>();
    // JDBC's default autocommit: one check's error does not poison the transaction of the next
    Connection c = Jdbc.open(db);
    try {
      for (SmokeCheck check : checks) {
        heartbeat.run();
        results.add(check.probes() ? probe(c, check, db) : query(c, check, db));
      }
    } finally {
      try {
        c.close();
      } catch (SQLException e) {
        // every check has run: the results stand
      }
    }
    return results;
  }

  private static SmokeResult query(Connection c, SmokeCheck check, DbConnection db) {
    String expect = check.expect();
    if (check.sql() == null || check.sql().isBlank()) {
      return new SmokeResult(name(check), false, expect, null, "no sql (and not a writeProbe)");
    }
    SmokeExpectation expectation;
    try {
      expectation = expect == null ? null : SmokeExpectation.parse(expect);
    } catch (IllegalArgumentException e) {
      return new SmokeResult(name(check), false, expect, null, e.getMessage());
    }
    String actual;
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = st.executeQuery(check.sql())) {
        actual = rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      return new SmokeResult(name(check), false, expect, null, sqlError(e, db));
    }
    String mismatch = expectation == null ? null : expectation.mismatch(actual);
    return new SmokeResult(name(check), mismatch == null, expect, actual, mismatch);
  }

  /** Create a table, write a random token, read it back, drop the table: the restored database takes writes. */
  private static SmokeResult probe(Connection c, SmokeCheck check, DbConnection db) {
    String token = UUID.randomUUID().toString();
    String expect = "= '" + token + "'";
    String actual = null;
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(TIMEOUT_SECONDS);
      st.execute("DROP TABLE IF EXISTS " + PROBE_TABLE); // an earlier attempt's
      st.execute("CREATE TABLE " + PROBE_TABLE + " (token varchar(64) NOT NULL)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + PROBE_TABLE + " (token) VALUES (?)")) {
        insert.setQueryTimeout(TIMEOUT_SECONDS);
        insert.setString(1, token);
        insert.executeUpdate();
      }
      try (ResultSet rs = st.executeQuery("SELECT token FROM " + PROBE_TABLE)) {
        actual = rs.next() ? rs.getString(1) : null;
      }
      st.execute("DROP TABLE " + PROBE_TABLE);
    } catch (SQLException e) {
      return new SmokeResult(name(check), false, expect, actual, sqlError(e, db));
    }
    boolean same = token.equals(actual);
    return new SmokeResult(name(check), same, expect, actual, same ? null : "read back " + actual);
  }

  private static String name(SmokeCheck check) {
    if (check.name() != null && !check.name().isBlank()) {
      return check.name();
    }
    return check.probes() ? "write probe" : check.sql();
  }

  private static String sqlError(SQLException e, DbConnection db) {
    String state = e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]";
    return Redactor.redact("SQL error: " + e.getMessage() + state, db.password());
  }
}
