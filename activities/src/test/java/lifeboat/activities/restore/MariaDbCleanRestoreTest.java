package lifeboat.activities.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB restore with clean over a database that holds objects the backup lacks (a table with a trigger, a
 * view, a sequence, a procedure, a function, an event, and a foreign key into a table the backup has): after it
 * the database holds exactly the backup's objects. And its failure branch: a restore user without DROP fails
 * with PERMISSION_DENIED before the dump runs, the target as it was.
 */
class MariaDbCleanRestoreTest {
  static final String LIMITED_PASSWORD = "Limited-Secret-3f1";
  static MariaDbServer maria;

  @TempDir Path dir;

  @BeforeAll
  static void server() {
    maria = MariaDbServer.start();
    maria.createDatabase("shop");
    maria.exec("shop", "CREATE TABLE items (id int PRIMARY KEY, name text) ENGINE=InnoDB;"
        + " INSERT INTO items SELECT seq, concat('item ', seq) FROM seq_1_to_1000;"
        + " CREATE VIEW item_names AS SELECT name FROM items;");
  }

  @AfterAll
  static void stop() {
    if (maria != null) {
      maria.close();
    }
  }

  @Test
  void cleanLeavesExactlyTheBackupsObjects() throws Exception {
    BackupManifest m = backUp();
    maria.createDatabase("target1");
    maria.exec("target1", String.join("\n",
        "CREATE TABLE items (id int PRIMARY KEY, name text, extra int) ENGINE=InnoDB; INSERT INTO items VALUES (1, 'x', 1);",
        "CREATE TABLE refs (id int PRIMARY KEY, item_id int, FOREIGN KEY (item_id) REFERENCES items (id));",
        "INSERT INTO refs VALUES (1, 1);",
        "CREATE TRIGGER refs_t BEFORE INSERT ON refs FOR EACH ROW SET NEW.id = NEW.id;",
        "CREATE VIEW extra_view AS SELECT * FROM refs;",
        "CREATE SEQUENCE extra_seq;",
        "CREATE PROCEDURE extra_proc() SELECT 1;",
        "CREATE FUNCTION extra_fn() RETURNS int DETERMINISTIC RETURN 1;",
        "CREATE EVENT extra_event ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1;"));
    RestoreActivitiesImpl restore = restoreAs("root", maria.password());
    RestoreRequest clean = request(m, "root", "target1", true);
    restore.checkTarget(clean);
    String check = restore.restore(clean, m, Progress.none()).check();

    assertEquals("2 tables and views", check);
    assertEquals("items\titem_names", objects("target1", "information_schema.TABLES", "TABLE_SCHEMA", "TABLE_NAME"));
    assertEquals("", objects("target1", "information_schema.ROUTINES", "ROUTINE_SCHEMA", "ROUTINE_NAME"));
    assertEquals("", objects("target1", "information_schema.EVENTS", "EVENT_SCHEMA", "EVENT_NAME"));
    assertEquals("", objects("target1", "information_schema.TRIGGERS", "TRIGGER_SCHEMA", "TRIGGER_NAME"));
    assertEquals(checksum("shop"), checksum("target1"));
  }

  @Test
  void aRestoreUserThatCannotDropFailsBeforeTheDumpRuns() throws Exception {
    BackupManifest m = backUp();
    maria.createDatabase("target2");
    maria.exec("target2", "CREATE TABLE keep (id int); INSERT INTO keep VALUES (7);");
    maria.exec(null, "CREATE USER limited@'%' IDENTIFIED BY '" + LIMITED_PASSWORD + "';"
        + " GRANT SELECT, INSERT, CREATE ON target2.* TO limited@'%'");
    RestoreActivitiesImpl restore = restoreAs("limited", LIMITED_PASSWORD);
    LifeboatException e = assertThrows(LifeboatException.class,
        () -> restore.restore(request(m, "limited", "target2", true), m, Progress.none()));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.userMessage());
    assertTrue(e.userMessage().contains("cannot empty"), e.userMessage());
    assertTrue(e.hint().contains("needs DROP"), e.hint());
    assertTrue(!e.userMessage().contains(LIMITED_PASSWORD), e.userMessage());
    assertEquals("7", maria.exec("target2", "SELECT id FROM keep"));
    assertEquals("keep", maria.exec("target2", "SHOW TABLES"), "the dump did not run");
  }

  BackupManifest backUp() throws Exception {
    return new BackupActivitiesImpl(workspace("root", maria.password())).dump("shop",
        "20250101T000000Z-" + System.nanoTime(), null, Progress.none());
  }

  RestoreActivitiesImpl restoreAs(String user, String password) throws Exception {
    return new RestoreActivitiesImpl(workspace(user, password));
  }

  Workspace workspace(String user, String password) throws Exception {
    Files.writeString(dir.resolve(user + ".txt"), password + "\n");
    Path config = dir.resolve("lifeboat.yaml");
    Files.writeString(config, """
        repositories:
          local: { type: filesystem, path: repo }
        databases:
          shop:
            engine: mariadb
            url: %s
            password: file:root.txt
            repository: local
            encryption: none
        """.formatted(maria.url("shop")));
    return Workspace.fromFile(config);
  }

  RestoreRequest request(BackupManifest m, String user, String db, boolean clean) {
    return new RestoreRequest(m.database(), m.backupId(), maria.url(db).replace("root@", user + "@"),
        "file:" + user + ".txt", 1, clean, List.of(), false, false, false, false);
  }

  static String objects(String db, String view, String schemaColumn, String nameColumn) {
    return maria.exec(null, "SELECT " + nameColumn + " FROM " + view + " WHERE " + schemaColumn + " = '" + db
        + "' ORDER BY 1").replace("\n", "\t");
  }

  static String checksum(String db) {
    return maria.exec(db, "CHECKSUM TABLE items EXTENDED").split("\t")[1];
  }
}
