package lifeboat.activities.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * The small reads the server engines share: one value (a version), or one column (relation names). A failed
 * connection is classified by the engine ({@code connectFailure}); a failing version query is the user's to fix.
 */
final class SqlReads {
  /** Opens a connection to the engine's server. */
  interface Opener {
    Connection open() throws SQLException;
  }

  private SqlReads() {}

  /** First column of the first row (null when there is no row): a query that fails is CONFIG_INVALID. */
  static String firstValue(Opener opener, Function<SQLException, LifeboatException> connectFailure, DbConnection db,
      String sql, String what) {
    try (Connection c = opener.open(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(sql)) {
        return rs.next() ? rs.getString(1) : null;
      } catch (SQLException e) {
        throw new LifeboatException(ErrorCode.CONFIG_INVALID,
            Redactor.redact(what + " failed on " + db.display() + ": " + e.getMessage(), db.password()),
            "check the query: it must return the version in the first column of the first row");
      }
    } catch (SQLException e) {
      throw connectFailure.apply(e);
    }
  }

  /** The first column of every row, in the query's order; any failure goes through {@code failure}. */
  static List<String> firstColumn(Opener opener, Function<SQLException, LifeboatException> failure, String sql) {
    List<String> found = new ArrayList<>();
    try (Connection c = opener.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure.apply(e);
    }
    return found;
  }
}
