package lifeboat.workflows.pitr;

/**
 * The canary rows a PITR drill wrote on the primary: the first before the target moment, the second after it;
 * then the first was deleted. A restore to the moment must hold the first and not the second.
 *
 * @param table           where they are ({@code lifeboat.pitr_canary} unless the runbook names one)
 * @param targetTime      the moment between the two commits, by the server's clock (ISO-8601)
 * @param secondLsn       the WAL position after the second commit: the archive must reach it before restoring
 * @param writtenAtMillis when the second commit was made (the server's clock), for the recovery point
 * @param engine          "mariadb" for a MariaDB database (secondLsn is then a binlog file:position, the table one
 *                        in the database itself); null for PostgreSQL, as in every drill before MariaDB's
 */
public record Canaries(String table, String firstId, String secondId, String targetTime, String secondLsn,
    long writtenAtMillis, String engine) {

  /** PostgreSQL's canaries, as they were before MariaDB's. */
  public Canaries(String table, String firstId, String secondId, String targetTime, String secondLsn,
      long writtenAtMillis) {
    this(table, firstId, secondId, targetTime, secondLsn, writtenAtMillis, null);
  }

  /** Written into a MariaDB database: the drill restores a dump and replays its binlog. */
  public boolean binlog() { // not isBinlog(): Jackson would take it for a property
    return "mariadb".equals(engine);
  }

  /**
   * MariaDB: the canaries as smoke checks on the restored copy (the first there, the second not), run by the
   * drill's RunSmokeChecks like the runbook's own.
   */
  public java.util.List<lifeboat.workflows.runbook.SmokeCheck> asSmokeChecks() {
    return java.util.List.of(
        new lifeboat.workflows.runbook.SmokeCheck("canary written before the moment", "SELECT count(*) FROM " + table
            + " WHERE id = " + literal(firstId), "= 1", null),
        new lifeboat.workflows.runbook.SmokeCheck("canary written after the moment", "SELECT count(*) FROM " + table
            + " WHERE id = " + literal(secondId), "= 0", null));
  }

  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
