package lifeboat.activities.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.Jdbc;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Whether a replay's target is the archived server itself (a restore into another database of the same server,
 * or in place). The replayed events carry the source's GTIDs (mariadb-binlog sets each one's gtid_seq_no), so
 * that server would log sequence numbers it already logged, out of order in the very archive a later restore
 * replays: the replay is then not binary-logged ({@code mariadb-binlog --disable-log-bin}, the tool's option for
 * "sending the output to the same server"). Under gtid_strict_mode the server refuses even to set such a
 * sequence number (ERROR 1950), logged or not, so that case is refused before anything is touched. A server is
 * named by what it says of itself (host name, port, data folder): two URLs of one server are one server.
 */
final class ArchivedServer {
  private ArchivedServer() {}

  private record Identity(List<String> names, boolean gtidStrict) {}

  /**
   * @return whether the target is the archived server; false when the source cannot be reached (the target,
   *     which was reached, is then another server)
   * @throws LifeboatException TARGET_INVALID when it is, and it runs with gtid_strict_mode on
   */
  static boolean isTarget(DbConnection source, DbConnection target, String database) {
    Optional<Identity> s = identity(source);
    if (s.isEmpty()) {
      return false;
    }
    Optional<Identity> t = identity(target);
    if (t.isEmpty() || !s.get().names().equals(t.get().names())) {
      return false;
    }
    if (t.get().gtidStrict()) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "the restore target " + target.display() + " is on the"
          + " server whose binlog is archived for " + database + ", and it runs with gtid_strict_mode on: it refuses"
          + " the replayed events' GTIDs, which it has logged already (ERROR 1950)",
          "restore to a moment into another MariaDB server (a scratch one is enough), or restore without --to-time");
    }
    return true;
  }

  private static Optional<Identity> identity(DbConnection db) {
    try (Connection c = Jdbc.open(db); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT @@hostname, @@port, @@datadir, @@gtid_strict_mode")) {
      rs.next();
      return Optional.of(new Identity(List.of(rs.getString(1), rs.getString(2), rs.getString(3)),
          rs.getBoolean(4)));
    } catch (LifeboatException | SQLException e) {
      return Optional.empty();
    }
  }
}
