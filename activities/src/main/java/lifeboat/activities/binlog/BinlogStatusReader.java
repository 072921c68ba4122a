package lifeboat.activities.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.MariaDbEngine;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.BinlogNames;
import lifeboat.workflows.model.WalStatus;

/**
 * A MariaDB database's binlog archive in the shape `wal status` and `check` read for a WAL archive: files for
 * segments, {@code file:bytes} for LSNs, no slot and no timeline. The lag is exact: the server's files after the
 * archive's end, from SHOW BINARY LOGS.
 */
final class BinlogStatusReader {
  private BinlogStatusReader() {}

  static WalStatus read(BinlogArchive archive, String database, DbConnection db, long maxLagSeconds,
      long nowMillis) {
    List<BinlogArchive.Entry> stored = archive.freshest();
    List<String> gaps = gaps(stored);
    List<BinlogArchive.Entry> fulls = stored.stream().filter(BinlogArchive.Entry::full).toList();
    BinlogArchive.Entry last = stored.isEmpty() ? null : stored.get(stored.size() - 1);
    String archived = last == null ? null : position(last.name(), last.bytes());
    Long archivedAt = last == null ? null : last.lastEventSecond() * 1000;
    String serverPosition = null;
    Long lagBytes = null;
    Long lagSeconds = null;
    String problem = null;
    try {
      Map<String, Long> sizes = serverSizes(db);
      String current = null;
      for (String name : sizes.keySet()) {
        current = name;
      }
      serverPosition = position(current, sizes.get(current));
      if (last != null) {
        long behind = 0;
        for (Map.Entry<String, Long> f : sizes.entrySet()) {
          int order = BinlogNames.ORDER.compare(f.getKey(), last.name());
          if (order == 0) {
            behind += Math.max(0, f.getValue() - last.bytes());
          } else if (order > 0) {
            behind += f.getValue();
          }
        }
        lagBytes = behind;
        lagSeconds = behind == 0 ? 0 : Math.max(0, nowMillis / 1000 - last.lastEventSecond());
      }
    } catch (SQLException | LifeboatException e) {
      problem = e.getMessage();
    }
    return new WalStatus(database, null, 0, stored.isEmpty() ? null : stored.get(0).name(), null,
        fulls.isEmpty() ? null : fulls.get(fulls.size() - 1).name(), fulls.size(), gaps, archived, archivedAt,
        serverPosition, lagBytes, lagSeconds, null, null, null, maxLagSeconds, 0, problem, null, null, List.of());
  }

  /** "binlog.000042:1551" */
  static String position(String file, long bytes) {
    return file + ":" + bytes;
  }

  /**
   * Files missing between the oldest and the newest archived (each by name, the first thousand), and a partial one
   * before the end.
   */
  static List<String> gaps(List<BinlogArchive.Entry> stored) {
    List<String> gaps = new ArrayList<>();
    for (int i = 1; i < stored.size() && gaps.size() < 1000; i++) {
      BinlogArchive.Entry before = stored.get(i - 1);
      if (!before.full()) {
        gaps.add(before.name() + " (only its first " + before.bytes() + " bytes)");
      }
      for (String n = BinlogNames.next(before.name()); BinlogNames.ORDER.compare(n, stored.get(i).name()) < 0
           && gaps.size() < 1000; n = BinlogNames.next(n)) {
        gaps.add(n);
      }
    }
    return gaps;
  }

  private static Map<String, Long> serverSizes(DbConnection db) throws SQLException {
    Map<String, Long> sizes = new LinkedHashMap<>();
    try (Connection c = MariaDbEngine.connect(db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        sizes.put(rs.getString(1), rs.getLong(2));
      }
    }
    if (sizes.isEmpty()) {
      throw new SQLException("the server lists no binary log file (is log_bin off?)");
    }
    return sizes;
  }
}
