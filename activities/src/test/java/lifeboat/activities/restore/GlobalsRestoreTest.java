package lifeboat.activities.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.repository.BackupLayout;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.retention.RetentionActivitiesImpl;
import lifeboat.activities.support.Verification;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.SavedGlobals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles and grants across servers: a backup of a database whose table is owned by one role and granted to
 * another, restored into FRESH clusters (initdb) that know neither role. Real PostgreSQL, real gpg keys.
 */
class GlobalsRestoreTest {
  static final String PASSPHRASE = "Globals-Passphrase-4c1";
  static final String READER_PASSWORD = "Reader-Secret-81f";
  static final String DUMPER_PASSWORD = "Dumper-Secret-23d";

  static GpgKeys keys;
  static PgCluster source;
  static int seq;

  @TempDir Path dir;
  Workspace workspace;
  BackupActivitiesImpl backup;
  RestoreActivitiesImpl restore;

  @BeforeAll
  static void startSource() {
    keys = GpgKeys.generate(GpgKeys.Algorithm.CURVE25519, PASSPHRASE);
    source = PgCluster.start();
    source.createDatabase("app");
    source.exec("app", String.join("\n",
        "CREATE ROLE app_owner NOLOGIN;",
        "CREATE ROLE reader LOGIN PASSWORD '" + READER_PASSWORD + "';",
        "CREATE ROLE dumper LOGIN PASSWORD '" + DUMPER_PASSWORD + "' IN ROLE pg_read_all_data;",
        "CREATE TABLE users(id int PRIMARY KEY, name text);",
        "INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 50) g;",
        "ALTER TABLE users OWNER TO app_owner;",
        "GRANT SELECT ON users TO reader;"));
  }

  @AfterAll
  static void stopSource() {
    if (source != null) {
      source.close();
    }
    if (keys != null) {
      keys.close();
    }
  }

  @BeforeEach
  void workspace() throws Exception {
    Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
    Files.writeString(dir.resolve("source.txt"), source.password() + "\n");
    Files.writeString(dir.resolve("dumper.txt"), DUMPER_PASSWORD + "\n");
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase.txt
        databases:
          app: { engine: postgres, url: "%s", password: file:source.txt, repository: local }
          app_by_dumper: { engine: postgres, url: "%s", password: file:dumper.txt, repository: local }
        """.formatted(keys.publicKeyFile(), keys.secretKeyFile(), source.url("app"),
        source.url("app").replace("postgres@", "dumper@")));
    workspace = Workspace.fromFile(dir.resolve("lifeboat.yaml"));
    backup = new BackupActivitiesImpl(workspace);
    restore = new RestoreActivitiesImpl(workspace);
  }

  BackupManifest backUp(String database) {
    return backup.dump(database, "20250101T000000Z-g" + (++seq), null, Progress.none());
  }

  Repository repo() {
    return workspace.repository(workspace.config(), "local");
  }

  /** A fresh cluster with an empty "app" database; its superuser password in a file for --to-password. */
  String freshTarget(PgCluster cluster, String name) throws Exception {
    cluster.createDatabase(name);
    Path pw = dir.resolve("target-" + cluster.port() + ".txt");
    Files.writeString(pw, cluster.password() + "\n");
    return cluster.url(name);
  }

  RestoreRequest request(BackupManifest m, PgCluster cluster, String url, boolean noOwner, boolean globals) {
    return new RestoreRequest(m.database(), m.backupId(), url, "file:target-" + cluster.port() + ".txt", 1, false,
        List.of(), false, false, noOwner, globals);
  }

  @Test
  void globalsAreSavedBesideTheDataListedInTheManifestAndVerified() {
    BackupManifest m = backUp("app");
    SavedGlobals g = m.globals();
    assertNotNull(g, "a PostgreSQL backup carries its globals");
    assertEquals(BackupLayout.globalsKey("app", m.backupId(), true), g.objectKey());
    assertEquals(SavedGlobals.FULL, g.source(), "the superuser reads role passwords too");
    assertTrue(repo().exists(g.objectKey()));
    assertTrue(g.rawBytes() > 0 && g.storedBytes() > 0);

    String verification = Verification.verify(workspace.config(), repo(), m, workspace.engine("postgres"),
        Progress.none());
    assertTrue(verification.contains("globals sha256 ok"), verification);

    Manifests.write(repo(), m);
    assertEquals(g, Manifests.read(repo(), "app", m.backupId()).globals(), "the manifest lists them");
  }

  @Test
  void aUserThatIsNotASuperuserSavesTheRolesWithoutPasswords() {
    BackupManifest m = backUp("app_by_dumper");
    assertEquals(SavedGlobals.NO_PASSWORDS, m.globals().source());
    assertTrue(m.globals().withoutPasswords());
  }

  @Test
  void freshClusterWithGlobalsKeepsOwnerAndGrants() throws Exception {
    BackupManifest m = backUp("app");
    try (PgCluster fresh = PgCluster.start()) {
      String url = freshTarget(fresh, "app");
      RestoreRequest req = request(m, fresh, url, false, true);

      String done = restore.globals(req, m);
      // app_owner, reader and dumper are new; postgres (the connecting superuser) is already there
      assertTrue(done.startsWith("3 roles created, 1 already present"), done);
      restore.restore(req, m, Progress.none());

      assertEquals("app_owner", fresh.exec("app", "SELECT tableowner FROM pg_tables WHERE tablename = 'users'"));
      assertEquals("t", fresh.exec("app", "SELECT has_table_privilege('reader', 'users', 'SELECT')"));
      assertEquals("50", fresh.exec("app", "SELECT count(*) FROM users"));
      assertEquals("t", fresh.exec("app", "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = 'reader'"),
          "the reader's password came with the globals");
      // The existing superuser was left alone: its own password still opens the target.
      assertEquals(List.of("public.users"), workspace.engine("postgres").existingTables(
          DbConnection.postgres(url, fresh.password()), List.of("users")));

      String again = restore.globals(req, m);
      assertTrue(again.startsWith("0 roles created, 4 already present"), "idempotent: " + again);
    }
  }

  @Test
  void freshClusterWithoutGlobalsNamesTheMissingRoleAndNoOwnerRestores() throws Exception {
    BackupManifest m = backUp("app");
    try (PgCluster fresh = PgCluster.start()) {
      String url = freshTarget(fresh, "app");
      LifeboatException e = assertThrows(LifeboatException.class,
          () -> restore.restore(request(m, fresh, url, false, false), m, Progress.none()));
      assertEquals(ErrorCode.ROLE_MISSING, e.code(), e.userMessage());
      assertTrue(e.userMessage().contains("role \"app_owner\" does not exist"), e.userMessage());
      assertTrue(e.hint().contains("--globals") && e.hint().contains("--no-owner"), e.hint());
      assertFalse(e.userMessage().contains(fresh.password()));

      String other = freshTarget(fresh, "app2");
      restore.restore(request(m, fresh, other, true, false), m, Progress.none());
      assertEquals("postgres", fresh.exec("app2", "SELECT tableowner FROM pg_tables WHERE tablename = 'users'"));
      assertEquals("50", fresh.exec("app2", "SELECT count(*) FROM users"));
    }
  }

  @Test
  void aBackupWithoutGlobalsSaysSoAndChangesNothing() {
    BackupManifest old = backUp("app").withGlobals(null);
    RestoreRequest req = new RestoreRequest("app", old.backupId(), source.url("app"), "file:source.txt", 1, false,
        List.of(), false, false, false, true);
    String done = restore.globals(req, old);
    assertTrue(done.contains("no saved globals"), done);
  }

  @Test
  void anOldManifestWithoutTheGlobalsFieldStillReads() throws Exception {
    BackupManifest m = backUp("app");
    Manifests.write(repo(), m.withGlobals(null));
    Path file = dir.resolve("repo").resolve(BackupLayout.manifestKey("app", m.backupId()));
    String json = Files.readString(file).replaceAll(",\\s*\"globals\"\\s*:\\s*null", "");
    assertFalse(json.contains("globals"), json);
    Files.writeString(file, json);
    assertNull(Manifests.read(repo(), "app", m.backupId()).globals());
  }

  @Test
  void discardAndRetentionRemoveTheGlobalsObject() {
    BackupManifest discarded = backUp("app");
    assertTrue(repo().exists(discarded.globals().objectKey()));
    backup.discardBackup("app", discarded.backupId());
    assertFalse(repo().exists(discarded.globals().objectKey()));
    assertEquals(List.of(), repo().list(BackupLayout.backupPrefix("app", discarded.backupId())));

    BackupManifest pruned = backUp("app");
    Manifests.write(repo(), pruned);
    new RetentionActivitiesImpl(workspace).deleteBackup(pruned);
    assertFalse(repo().exists(pruned.globals().objectKey()));
    assertEquals(List.of(), repo().list(BackupLayout.backupPrefix("app", pruned.backupId())));
  }
}
