package lifeboat.activities.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.backup.BackupActivitiesImpl;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.pipeline.Progress;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.GpgKeys;
import lifeboat.activities.testing.GpgKeys.Algorithm;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RestoreRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partial restore of a MariaDB backup on a real server: one table's section cut from the decrypted dump of a
 * database that also has a view over it, a procedure, an event, another table referencing it and triggers, into
 * a side database that holds other tables. Only that table (its rows, its trigger) arrives; the side database's
 * own tables are untouched; a target that has the table, or a table the backup lacks, is refused.
 */
class MariaDbPartialRestoreTest {
  static final String PASSPHRASE = "Partial-Passphrase-7a1";
  static final AtomicInteger SEQ = new AtomicInteger();
  static GpgKeys keys;
  static MariaDbServer maria;
  static BackupManifest backup;

  @TempDir Path dir;
  RestoreActivitiesImpl restore;

  @BeforeAll
  static void fixtures() throws Exception {
    keys = GpgKeys.generate(Algorithm.CURVE25519, PASSPHRASE);
    maria = MariaDbServer.start();
    maria.createDatabase("shop");
    maria.exec("shop", String.join("\n",
        "CREATE TABLE items (id int PRIMARY KEY, name varchar(100), note text) ENGINE=InnoDB;",
        // a value with a newline and a line that looks like a marker: escaped in the dump, not a section
        "INSERT INTO items SELECT seq, concat('item ', seq), concat('line\\n-- Table structure for table `orders`',"
            + " seq) FROM seq_1_to_3000;",
        "CREATE TABLE orders (id int PRIMARY KEY, item_id int, FOREIGN KEY (item_id) REFERENCES items (id));",
        "INSERT INTO orders SELECT seq, seq FROM seq_1_to_100;",
        "CREATE TABLE item_log (id int AUTO_INCREMENT PRIMARY KEY, item_id int);",
        "CREATE TRIGGER items_logged AFTER INSERT ON items FOR EACH ROW INSERT INTO item_log(item_id) VALUES (NEW.id);",
        "CREATE TRIGGER orders_checked BEFORE INSERT ON orders FOR EACH ROW SET NEW.item_id = NEW.item_id;",
        "CREATE VIEW named_items AS SELECT id, name FROM items;",
        "CREATE PROCEDURE count_items() SELECT count(*) FROM items;",
        "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM item_log;"));
  }

  @AfterAll
  static void stop() {
    if (maria != null) {
      maria.close();
    }
    if (keys != null) {
      keys.close();
    }
  }

  @BeforeEach
  void workspace() throws Exception {
    Files.writeString(dir.resolve("pass.txt"), maria.password() + "\n");
    Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
    Path config = dir.resolve("lifeboat.yaml");
    Files.writeString(config, """
        repositories:
          local: { type: filesystem, path: repo }
        encryption:
          recipients: [%s]
          privateKey: %s
          passphrase: file:passphrase.txt
        databases:
          shop:
            engine: mariadb
            url: %s
            password: file:pass.txt
            repository: local
        """.formatted(keys.publicKeyFile(), keys.secretKeyFile(), maria.url("shop")));
    Workspace workspace = Workspace.fromFile(config);
    restore = new RestoreActivitiesImpl(workspace);
    backup = new BackupActivitiesImpl(workspace).dump("shop", "20250101T000000Z-" + SEQ.incrementAndGet(), null,
        Progress.none());
  }

  @Test
  void oneTableWithItsRowsAndTriggerIntoASideDatabaseThatHasOthers() {
    String side = sideDatabase();
    maria.exec(side, "CREATE TABLE orders (id int PRIMARY KEY, what text); INSERT INTO orders VALUES (7, 'mine')");
    String sideOrders = checksum(side, "orders");
    RestoreRequest request = request(side, List.of("items"), false);
    restore.checkTarget(request);
    String check = restore.restore(request, backup, Progress.none()).check();

    assertEquals("items restored (1 of the backup's tables)", check);
    assertEquals(checksum("shop", "items"), checksum(side, "items"), "every row, byte for byte");
    assertEquals("items\norders", tables(side), "no view, no item_log, no other table of the backup");
    assertEquals(sideOrders, checksum(side, "orders"), "the side database's own orders is untouched");
    assertEquals("items_logged", maria.exec(null, "SELECT group_concat(TRIGGER_NAME) FROM information_schema.TRIGGERS"
        + " WHERE TRIGGER_SCHEMA = '" + side + "'"), "its trigger came with it, the other table's did not");
    assertEquals("0", maria.exec(null, "SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '"
        + side + "'") + maria.exec(null, "SELECT count(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '" + side
        + "'").replace("0", ""), "no procedure, no event");
  }

  @Test
  void aTargetThatHasTheTableIsRefusedUnlessClean() {
    String side = sideDatabase();
    maria.exec(side, "CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items VALUES (1);"
        + " CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (42)");
    ApplicationFailure e = assertThrows(ApplicationFailure.class,
        () -> restore.checkTarget(request(side, List.of("items"), false)));
    assertEquals(ErrorCode.TARGET_NOT_EMPTY.name(), e.getType());
    assertTrue(e.getMessage().contains("already has items"), e.getMessage());
    assertEquals("1", maria.exec(side, "SELECT count(*) FROM items"), "refused before anything was touched");

    RestoreRequest clean = request(side, List.of("items"), true);
    restore.checkTarget(clean);
    restore.restore(clean, backup, Progress.none());
    assertEquals(checksum("shop", "items"), checksum(side, "items"), "clean replaced that one table");
    assertEquals("42", maria.exec(side, "SELECT id FROM keep_me"), "and only that one");
  }

  @Test
  void aTableTheBackupLacksFailsWithItsCodeAndLeavesNothing() {
    String side = sideDatabase();
    RestoreRequest request = request(side, List.of("named_items"), false);
    restore.checkTarget(request);
    LifeboatException e = assertThrows(LifeboatException.class, () -> restore.restore(request, backup,
        Progress.none()));
    assertEquals(ErrorCode.TABLE_NOT_IN_BACKUP, e.code(), e.userMessage());
    assertTrue(ErrorCode.TABLE_NOT_IN_BACKUP.userFixable(), "not retried");
    assertTrue(e.userMessage().contains("no table named_items"), e.userMessage());
    assertTrue(e.hint().contains("a view, routine or event is not a table"), e.hint());
    assertEquals("", tables(side), "nothing restored");
  }

  @Test
  void optionsAMariaDbDumpCannotHonourAreRefused() {
    String side = sideDatabase();
    ApplicationFailure qualified = assertThrows(ApplicationFailure.class,
        () -> restore.checkTarget(request(side, List.of("shop.items"), false)));
    assertEquals(ErrorCode.TARGET_INVALID.name(), qualified.getType());
    assertTrue(qualified.getMessage().contains("not database.name"), qualified.getMessage());
    RestoreRequest schemaOnly = new RestoreRequest("shop", backup.backupId(), maria.url(side), "file:pass.txt", 1,
        false, List.of(), true, false, false, false);
    assertEquals(ErrorCode.TARGET_INVALID.name(),
        assertThrows(ApplicationFailure.class, () -> restore.checkTarget(schemaOnly)).getType());
  }

  static String sideDatabase() {
    String name = "side" + SEQ.incrementAndGet();
    maria.createDatabase(name);
    return name;
  }

  RestoreRequest request(String side, List<String> tables, boolean clean) {
    return new RestoreRequest("shop", backup.backupId(), maria.url(side), "file:pass.txt", 1, clean, tables, false,
        false, false, false);
  }

  static String checksum(String db, String table) {
    return maria.exec(db, "CHECKSUM TABLE " + table + " EXTENDED").split("\t")[1];
  }

  static String tables(String db) {
    return maria.exec(db, "SHOW TABLES");
  }
}
