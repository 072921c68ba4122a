package lifeboat.activities.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** mariadb://user@host:port/db (mysql:// too): the parts the JDBC driver and the mariadb tools take separately. */
public final class MariaDbUrls {
  static final int DEFAULT_PORT = 3306;
  static final String URL_HINT = "write databases.<name>.url as mariadb://user@host:3306/database, the password "
      + "in databases.<name>.password as env:NAME or file:PATH";

  private MariaDbUrls() {}

  public record MariaDbUrl(String user, String host, int port, String database) {
    public String jdbcUrl() {
      return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }
  }

  public static MariaDbUrl parse(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      String path = uri.getRawPath();
      if (!("mariadb".equals(scheme) || "mysql".equals(scheme)) || uri.getHost() == null || path == null
          || path.length() < 2 || path.indexOf('/', 1) >= 0) {
        throw bad(url, "not of the form mariadb://user@host:port/database");
      }
      String info = uri.getRawUserInfo();
      if (info == null || info.isEmpty() || info.contains(":")) {
        throw bad(url, info == null || info.isEmpty() ? "no user" : "a password in the URL");
      }
      return new MariaDbUrl(decode(info), uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
          decode(path.substring(1)));
    } catch (URISyntaxException e) {
      throw bad(url, e.getMessage());
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static LifeboatException bad(String url, String why) {
    // never echo a URL that may hold a password
    String shown = url.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:***@");
    return new LifeboatException(ErrorCode.BAD_URL, "bad MariaDB URL " + shown + ": " + why, URL_HINT);
  }
}
