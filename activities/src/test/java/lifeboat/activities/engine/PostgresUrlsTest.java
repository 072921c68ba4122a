package lifeboat.activities.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Properties;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import org.junit.jupiter.api.Test;

/** PgUrls: libpq URI parsing and the JDBC conversion. */
class PostgresUrlsTest {

  @Test
  void simpleUri() {
    PgUrls.PgUrl u = PgUrls.parse("postgresql://app@db.example:6432/shop?sslmode=require&connect_timeout=3");
    assertEquals("app", u.user());
    assertNull(u.password());
    assertEquals(List.of("db.example:6432"), u.hosts());
    assertEquals("shop", u.database());
    assertEquals("jdbc:postgresql://db.example:6432/shop", u.jdbcUrl());
    Properties p = PgUrls.jdbcProperties(u, "s3cret");
    assertEquals("app", p.getProperty("user"));
    assertEquals("s3cret", p.getProperty("password"));
    assertEquals("require", p.getProperty("sslmode"));
    assertEquals("3", p.getProperty("connectTimeout"));
  }

  @Test
  void defaultsMultipleHostsAndEncoding() {
    PgUrls.PgUrl u = PgUrls.parse("postgres://my%40user:p%3Aw@h1,h2:5433,[::1]:5434");
    assertEquals("my@user", u.user());
    assertEquals("p:w", u.password());
    assertEquals(List.of("h1:5432", "h2:5433", "[::1]:5434"), u.hosts());
    assertEquals("my@user", u.database());
    assertEquals("10", PgUrls.jdbcProperties(u, null).getProperty("connectTimeout"));
    assertEquals("p:w", PgUrls.jdbcProperties(u, null).getProperty("password"));
    assertEquals("jdbc:postgresql://localhost:5432/a+b", PgUrls.toJdbc("postgresql://u@/a%20b"));
  }

  @Test
  void malformedIsBadUrlWithoutPassword() {
    for (String bad : List.of("mysql://u@h/db", "postgresql://u:topsecret@h:99999/db", "postgresql://h/db",
        "postgresql://u:topsecret@h/db?sslmode", "postgresql://u@[::1/db", "")) {
      LifeboatException e = assertThrows(LifeboatException.class, () -> PgUrls.parse(bad), bad);
      assertEquals(ErrorCode.BAD_URL, e.code(), bad);
      assertFalse(e.userMessage().contains("topsecret"), e.userMessage());
    }
  }
}
