package lifeboat.activities.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;

class MariaDbUrlsTest {
  @Test
  void partsOfAUrlWithAndWithoutAPort() {
    assertEquals(new MariaDbUrls.MariaDbUrl("backup", "db1.internal", 3307, "shop"),
        MariaDbUrls.parse("mariadb://backup@db1.internal:3307/shop"));
    assertEquals(new MariaDbUrls.MariaDbUrl("app", "127.0.0.1", 3306, "my db"),
        MariaDbUrls.parse("mysql://app@127.0.0.1/my%20db"));
    assertEquals("jdbc:mariadb://h:3306/d", MariaDbUrls.parse("mariadb://u@h/d").jdbcUrl());
  }

  @Test
  void aPasswordNoUserOrNoDatabaseIsABadUrlThatNeverShowsThePassword() {
    for (String url : new String[] {"mariadb://u:hunter2@h/d", "mariadb://h:3306/d", "mariadb://u@h/",
        "postgresql://u@h/d", "mariadb://u@h/a/b"}) {
      LifeboatException e = assertThrows(LifeboatException.class, () -> MariaDbUrls.parse(url), url);
      assertEquals(ErrorCode.BAD_URL, e.code());
      assertFalse(e.userMessage().contains("hunter2"), e.userMessage());
    }
  }
}
