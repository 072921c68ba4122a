package lifeboat.activities.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which lines of a mariadb-dump --system=users script reach a server that already has some accounts (lines as
 * mariadb-dump 10.11 writes them). The end-to-end case, on real servers, is in MariaDbBackupTest.
 */
class MariaDbUsersTest {
  static final Set<String> EXISTING = Set.of("root@localhost", "root@127.0.0.1");

  @Test
  void everyLineAboutAnExistingAccountIsDropped() {
    assertFalse(MariaDbUsers.keep("CREATE USER IF NOT EXISTS `root`@`localhost` IDENTIFIED BY PASSWORD '*2B6';",
        EXISTING));
    assertFalse(MariaDbUsers.keep("GRANT ALL PRIVILEGES ON *.* TO `root`@`127.0.0.1` IDENTIFIED BY PASSWORD '*2B6'"
        + " WITH GRANT OPTION;", EXISTING), "would reset the target's root password");
    assertFalse(MariaDbUsers.keep("GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION;", EXISTING));
    assertFalse(MariaDbUsers.keep("/*M!100005 SET DEFAULT ROLE NONE FOR 'root'@'localhost' */;", EXISTING));
    assertFalse(MariaDbUsers.keep("/*!80001 ALTER USER 'root'@'localhost' DEFAULT ROLE NONE */;", EXISTING));
  }

  @Test
  void linesAboutNewAccountsAndTheScriptsOwnStatementsAreKept() {
    assertTrue(MariaDbUsers.keep("CREATE USER IF NOT EXISTS `reader`@`%` IDENTIFIED BY PASSWORD '*DBA';", EXISTING));
    assertTrue(MariaDbUsers.keep("GRANT SELECT ON `app`.* TO `reader`@`%`;", EXISTING));
    assertTrue(MariaDbUsers.keep("GRANT mariadb_dump_import_role TO CURRENT_USER();", EXISTING));
    assertTrue(MariaDbUsers.keep("CREATE ROLE IF NOT EXISTS mariadb_dump_import_role;", EXISTING));
    assertTrue(MariaDbUsers.keep("/*!40101 SET NAMES utf8mb4 */;", EXISTING));
  }

  @Test
  void quotedNamesAreUnquoted() {
    assertEquals("o`dd@h'st", MariaDbUsers.account(java.util.regex.Pattern.compile(
        "^CREATE USER IF NOT EXISTS [`'](?<user>(?:[^`']|``|'')*)[`']@[`'](?<host>(?:[^`']|``|'')*)[`']"),
        "CREATE USER IF NOT EXISTS `o``dd`@`h''st`;"));
    assertNull(MariaDbUsers.account(java.util.regex.Pattern.compile("^CREATE USER IF NOT EXISTS (?<user>x)@"
        + "(?<host>y)"), "SELECT 1;"));
  }
}
