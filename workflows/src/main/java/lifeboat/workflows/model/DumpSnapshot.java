package lifeboat.workflows.model;

/**
 * How a dump got its consistent view. MariaDB/MySQL: also where that view sits in the server's binary log, the
 * position a binlog replay (point-in-time recovery, a new replica) starts from. DuckDB: what was staged.
 *
 * @param consistency     "single-transaction" (InnoDB snapshot, no lock), "export-database" (DuckDB) or, with
 *                        allowNonTransactional, the read lock taken ("lock-tables" / "lock-all-tables") and the
 *                        non-transactional tables seen
 * @param binlogFile      binary log file at the snapshot (mariadb-dump --master-data=2), null when binlog is off
 * @param binlogPosition  position in that file, null when binlog is off
 * @param gtidPosition    the GTID position of that file and position (BINLOG_GTID_POS), null when unknown
 * @param stagedBytes     DuckDB: the size of the export folder staged on the worker before it was streamed (the
 *                        one engine that cannot dump to a stream); null for the others
 */
public record DumpSnapshot(String consistency, String binlogFile, Long binlogPosition, String gtidPosition,
    Long stagedBytes) {

  /** A MariaDB/MySQL dump's: streamed, nothing staged. */
  public DumpSnapshot(String consistency, String binlogFile, Long binlogPosition, String gtidPosition) {
    this(consistency, binlogFile, binlogPosition, gtidPosition, null);
  }

  /** A dump the engine had to stage on the worker's disk before streaming it (DuckDB's EXPORT DATABASE folder). */
  public static DumpSnapshot staged(String consistency, long stagedBytes) {
    return new DumpSnapshot(consistency, null, null, null, stagedBytes);
  }
}
