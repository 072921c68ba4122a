package lifeboat.activities.errors;

/**
 * Stable error codes. The code is the Temporal failure type, so a retry policy can name the ones that must
 * never be retried, and a user or a script can match on it. {@code userFixable} errors are not retried: no
 * amount of retrying fixes a typo in a URL or a wrong passphrase.
 */
public enum ErrorCode {
  CONFIG_INVALID(true),
  UNKNOWN_DATABASE(true),
  UNKNOWN_REPOSITORY(true),
  /** The repository's storage is not there: an S3 bucket that does not exist. Creating it is a person's job. */
  REPOSITORY_MISSING(true),
  SECRET_UNRESOLVED(true),
  BAD_URL(true),
  AUTH_FAILED(true),
  /** The database user lacks a privilege the dump or restore needs: retrying cannot grant it. */
  PERMISSION_DENIED(true),
  KEY_MISSING(true),
  KEY_INVALID(true),
  WRONG_PASSPHRASE(true),
  KEY_MISMATCH(true),
  CHECKSUM_MISMATCH(true),
  CORRUPT_BACKUP(true),
  BACKUP_NOT_FOUND(true),
  TARGET_NOT_EMPTY(true),
  TARGET_INVALID(true),
  /** A partial restore names a table the backup does not hold (MariaDB: no such section in the dump). */
  TABLE_NOT_IN_BACKUP(true),
  TOOL_MISSING(true),
  /**
   * MariaDB/MySQL: tables whose engine ignores transactions (MyISAM, Aria, MEMORY...) would be copied outside the
   * dump's snapshot by --single-transaction, silently inconsistent. Convert them, or allow a read lock.
   */
  NON_TRANSACTIONAL_TABLES(true),
  /**
   * A restore needs a role the target server lacks (owners, grants): restore the backup's globals first, or
   * restore without owners and privileges.
   */
  ROLE_MISSING(true),
  /** A statement of the saved globals (roles, tablespaces) failed on the target server. */
  GLOBALS_FAILED(true),
  /** The store refuses to delete an object under a retention lock (S3 Object Lock): it stays until the lock ends. */
  OBJECT_LOCKED(true),
  /**
   * A drill's throwaway target cannot work as configured (no drill server, a password in its URL, an unknown
   * target kind), or a teardown was asked to remove something a drill did not make.
   */
  DRILL_TARGET_INVALID(true),
  /**
   * A migration failed (a NOT NULL column without a default, a renamed column, a changed type...): the
   * migration must be fixed, and running it again unchanged fails the same way.
   */
  MIGRATION_FAILED(true),
  /** The runbook's migrator cannot run as written: unknown type, no locations or command, a folder not found. */
  MIGRATOR_INVALID(true),
  /**
   * A failover runbook's section cannot work as written: a PgBouncer entry missing from its ini, an env file
   * without the variable, a URL that is not a single postgres host, an unknown repoint type.
   */
  FAILOVER_INVALID(true),
  /**
   * A workflow history payload is encrypted (history.encryptionKey) and this client or worker has no key
   * configured: it cannot read what the workers wrote.
   */
  HISTORY_KEY_MISSING(true),
  /**
   * A rebuild was about to empty or rewind the data directory of a server that is still running (its stop
   * failed or did nothing): refused, since that destroys a live database. A person must stop it first.
   */
  POSTMASTER_RUNNING(true),
  /** A history payload does not decrypt with the configured key: another key (its id is named), or altered. */
  HISTORY_KEY_MISMATCH(true),
  /** The history key's secret does not hold 32 bytes in base64. */
  HISTORY_KEY_INVALID(true),
  /**
   * A WAL segment already in the archive arrived again with other content: two clusters archive into one place,
   * or the archive was copied from another. Nothing is overwritten.
   */
  WAL_SEGMENT_CONFLICT(true),
  /**
   * The server is not the cluster this archive holds (another system identifier), or cannot stream WAL as
   * configured (wal_level minimal, no replication connections, a role without REPLICATION).
   */
  WAL_ARCHIVE_MISMATCH(true),
  /**
   * A restore to a moment cannot reach its target: before the oldest base backup, after the newest archived WAL,
   * or behind a missing segment (the message names the range or the segment). Refused before anything is written.
   */
  RECOVERY_TARGET_UNREACHABLE(true),
  /** The recovering server stopped, or stopped elsewhere than the target: its log's last lines are in the message. */
  RECOVERY_FAILED(true),
  /**
   * MariaDB: a binlog replay's earlier attempt ended half-way (a worker killed mid-replay). Replaying again could
   * apply events twice, so the step refuses; RestoreWorkflow then restores the dump afresh and replays once.
   */
  REPLAY_INTERRUPTED(true),
  /** The replication stream failed or ended (the server restarted, the network broke): retried from the slot. */
  WAL_STREAM_FAILED(false),
  /**
   * archive_command mode: the worker cannot receive pushed WAL (wal.listen's port is taken, or not this host's
   * address). Retried: the server keeps its WAL until a push succeeds.
   */
  WAL_RECEIVER_FAILED(false),
  /** The database could not be reached: may be transient, so it is retried. */
  DATABASE_UNREACHABLE(false),
  /**
   * DuckDB: another process holds the database file open for writing, and DuckDB lets no other process open it
   * then, not even to read. Retried: the writer may close it.
   */
  DATABASE_LOCKED(false),
  /** The dump tool failed half-way (killed, disk full, permission denied on a table). */
  DUMP_FAILED(false),
  RESTORE_FAILED(false),
  STORAGE_FAILED(false),
  /** A drill's throwaway target could not be created or removed (initdb, pg_ctl, CREATE/DROP DATABASE failed). */
  DRILL_TARGET_FAILED(false),
  /** pg_promote did not bring the standby out of recovery within its wait. */
  FAILOVER_PROMOTE_FAILED(false),
  /** The repoint target did not take the new primary: RELOAD failed, SHOW DATABASES or the file disagrees, AWS refused. */
  FAILOVER_REPOINT_FAILED(false),
  /** Through the application's path the server is still in recovery, or the probe write failed. */
  FAILOVER_VERIFY_FAILED(false),
  /** pg_rewind / pg_basebackup, or stopping or starting the old primary, failed. */
  FAILOVER_REBUILD_FAILED(false),
  /** The alert webhook was unreachable or refused the message: retried a few times. */
  ALERT_FAILED(false),
  /**
   * A repository key that would leave the repository (an absolute path, "..", a backslash): built from a name or
   * a manifest field that should never hold one. Refused before anything is read or written.
   */
  KEY_OUTSIDE_REPOSITORY(true),
  /** An I/O error Lifeboat has no better word for (a local file, a snapshot): retried, it may pass. */
  IO_FAILED(false),
  /** An exception Lifeboat does not know: a defect or an unforeseen condition; the worker log has its stack. */
  UNEXPECTED_ERROR(false);

  private final boolean userFixable;

  ErrorCode(boolean userFixable) {
    this.userFixable = userFixable;
  }

  public boolean userFixable() {
    return userFixable;
  }
}
