package lifeboat.workflows.model;

import java.util.List;

/**
 * The self-describing record written beside every backup object ({@code manifest.json}). It is written
 * last: a backup without a manifest does not exist for listing, restore or retention.
 *
 * @param formatVersion      version of this manifest's layout
 * @param objectKey          key of the stored object inside its repository
 * @param location           where the object is, for humans (a path or a URL)
 * @param rawBytes           bytes the dump tool produced
 * @param storedBytes        bytes stored after compression and encryption
 * @param sha256             hex SHA-256 of the stored bytes
 * @param compression        e.g. "zstd-1"
 * @param encryption         "openpgp-aes256" or "none"
 * @param recipients         fingerprints of the public keys the object is encrypted to
 * @param verified           the stored object was read back and checked after writing
 * @param verification       what that check did, in words
 * @param globals            PostgreSQL roles and tablespaces saved beside the data; null for SQLite and for
 *                           backups made before they were saved
 * @param base               a base backup's WAL range (pg_basebackup of the whole cluster); null for a logical
 *                           dump and for every backup made before base backups existed
 * @param snapshot           MariaDB/MySQL: how the dump was made consistent and its binlog position; null for
 *                           the other engines
 */
public record BackupManifest(
    int formatVersion,
    String backupId,
    String database,
    String engine,
    String serverVersion,
    String schemaVersion,
    String repository,
    String objectKey,
    String location,
    String startedAt,
    String endedAt,
    long rawBytes,
    long storedBytes,
    String sha256,
    String compression,
    String encryption,
    List<String> recipients,
    boolean verified,
    String verification,
    SavedGlobals globals,
    BaseBackupInfo base,
    DumpSnapshot snapshot) {

  /** A manifest without a MariaDB snapshot part: PostgreSQL and SQLite. */
  public BackupManifest(int formatVersion, String backupId, String database, String engine, String serverVersion,
      String schemaVersion, String repository, String objectKey, String location, String startedAt,
      String endedAt, long rawBytes, long storedBytes, String sha256, String compression, String encryption,
      List<String> recipients, boolean verified, String verification, SavedGlobals globals, BaseBackupInfo base) {
    this(formatVersion, backupId, database, engine, serverVersion, schemaVersion, repository, objectKey, location,
        startedAt, endedAt, rawBytes, storedBytes, sha256, compression, encryption, recipients, verified,
        verification, globals, base, null);
  }

  /**
   * Bumped only for a change an older Lifeboat would misread. Optional additions it can ignore (the globals)
   * keep it: readers skip unknown fields, and a missing field reads as null.
   */
  public static final int FORMAT_VERSION = 1;

  /** A logical backup's manifest (no base-backup part), as every backup made before base backups had. */
  public BackupManifest(int formatVersion, String backupId, String database, String engine, String serverVersion,
      String schemaVersion, String repository, String objectKey, String location, String startedAt,
      String endedAt, long rawBytes, long storedBytes, String sha256, String compression, String encryption,
      List<String> recipients, boolean verified, String verification, SavedGlobals globals) {
    this(formatVersion, backupId, database, engine, serverVersion, schemaVersion, repository, objectKey, location,
        startedAt, endedAt, rawBytes, storedBytes, sha256, compression, encryption, recipients, verified,
        verification, globals, null);
  }

  /** Whether this is a base backup (pg_basebackup: the whole cluster, for point-in-time recovery). */
  public boolean baseBackup() { // not isBase(): Jackson would take it for the base component's getter
    return base != null;
  }

  /** A manifest without globals: SQLite, and every backup made before globals were saved. */
  public BackupManifest(int formatVersion, String backupId, String database, String engine, String serverVersion,
      String schemaVersion, String repository, String objectKey, String location, String startedAt,
      String endedAt, long rawBytes, long storedBytes, String sha256, String compression, String encryption,
      List<String> recipients, boolean verified, String verification) {
    this(formatVersion, backupId, database, engine, serverVersion, schemaVersion, repository, objectKey, location,
        startedAt, endedAt, rawBytes, storedBytes, sha256, compression, encryption, recipients, verified,
        verification, null);
  }

  public BackupManifest withVerification(boolean verified, String verification) {
    return new BackupManifest(formatVersion, backupId, database, engine, serverVersion, schemaVersion, repository,
        objectKey, location, startedAt, endedAt, rawBytes, storedBytes, sha256, compression, encryption,
        recipients, verified, verification, globals, base, snapshot);
  }

  public BackupManifest withGlobals(SavedGlobals globals) {
    return new BackupManifest(formatVersion, backupId, database, engine, serverVersion, schemaVersion, repository,
        objectKey, location, startedAt, endedAt, rawBytes, storedBytes, sha256, compression, encryption,
        recipients, verified, verification, globals, base, snapshot);
  }
}
