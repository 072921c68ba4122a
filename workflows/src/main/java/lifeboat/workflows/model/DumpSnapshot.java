package lifeboat.workflows.model;

/**
 * How a MariaDB/MySQL dump got its consistent view, and where that view sits in the server's binary log: the
 * position a binlog replay (point-in-time recovery, a new replica) starts from.
 *
 * @param consistency     "single-transaction" (InnoDB snapshot, no lock) or, with allowNonTransactional, the
 *                        read lock taken ("lock-tables" / "lock-all-tables") and the non-transactional tables seen
 * @param binlogFile      binary log file at the snapshot (mariadb-dump --master-data=2), null when binlog is off
 * @param binlogPosition  position in that file, null when binlog is off
 * @param gtidPosition    the GTID position of that file and position (BINLOG_GTID_POS), null when unknown
 */
public record DumpSnapshot(String consistency, String binlogFile, Long binlogPosition, String gtidPosition) {}
