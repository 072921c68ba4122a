package lifeboat.activities.engine;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;

/**
 * Parses libpq URIs ({@code postgresql://user@host:port/db?params}, several comma-separated hosts allowed)
 * and converts them to a JDBC URL plus connection properties. A malformed URI is BAD_URL; messages never
 * quote a password.
 */
public final class PgUrls {
  public static final int DEFAULT_PORT = 5432;
  /** Seconds; used for JDBC when the URI has no connect_timeout (pg_dump gets PGCONNECT_TIMEOUT). */
  public static final int DEFAULT_CONNECT_TIMEOUT = 10;
  private static final String HINT = "use a libpq URI: postgresql://user@host:5432/dbname";

  private PgUrls() {}

  /** A parsed libpq URI. {@code hosts} are "host:port" entries; {@code password} is null unless in the URI. */
  public record PgUrl(String user, String password, List<String> hosts, String database,
                      Map<String, String> params) {
    /** "jdbc:postgresql://host:port[,host:port]/db". */
    public String jdbcUrl() {
      return "jdbc:postgresql://" + String.join(",", hosts) + "/"
          + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }
  }

  public static PgUrl parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw bad("no PostgreSQL URL given", uri);
    }
    String rest;
    if (uri.startsWith("postgresql://")) {
      rest = uri.substring("postgresql://".length());
    } else if (uri.startsWith("postgres://")) {
      rest = uri.substring("postgres://".length());
    } else {
      throw bad("not a postgresql:// URL: " + uri, uri);
    }
    Map<String, String> params = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      parseParams(rest.substring(q + 1), params, uri);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash >= 0 ? rest.substring(0, slash) : rest;
    String database = slash >= 0 ? decode(rest.substring(slash + 1), uri) : "";
    int at = authority.lastIndexOf('@');
    String user = null;
    String password = null;
    if (at >= 0) {
      String userinfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userinfo.indexOf(':');
      user = decode(colon >= 0 ? userinfo.substring(0, colon) : userinfo, uri);
      password = colon >= 0 ? decode(userinfo.substring(colon + 1), uri) : null;
    }
    if (params.containsKey("user")) {
      user = params.get("user");
    }
    if (params.containsKey("dbname")) {
      database = params.get("dbname");
    }
    if (user == null || user.isEmpty()) {
      throw bad("no user name in " + uri, uri);
    }
    if (database.isEmpty()) {
      database = user;
    }
    return new PgUrl(user, password, parseHosts(authority, uri), database, params);
  }

  /** The JDBC URL for a libpq URI. */
  public static String toJdbc(String uri) {
    return parse(uri).jdbcUrl();
  }

  /** JDBC properties: user, password (the given one, else one in the URI), timeouts, ssl settings. */
  public static Properties jdbcProperties(PgUrl url, String password) {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    String pw = password != null ? password : url.password();
    if (pw != null) {
      props.setProperty("password", pw);
    }
    Map<String, String> p = url.params();
    props.setProperty("connectTimeout", p.getOrDefault("connect_timeout", "" + DEFAULT_CONNECT_TIMEOUT));
    props.setProperty("loginTimeout", p.getOrDefault("connect_timeout", "" + DEFAULT_CONNECT_TIMEOUT));
    copy(p, "sslmode", props, "sslmode");
    copy(p, "sslcert", props, "sslcert");
    copy(p, "sslkey", props, "sslkey");
    copy(p, "sslrootcert", props, "sslrootcert");
    copy(p, "application_name", props, "ApplicationName");
    copy(p, "options", props, "options");
    String tsa = p.get("target_session_attrs");
    if (tsa != null) {
      props.setProperty("targetServerType", switch (tsa) {
        case "read-write", "primary" -> "primary";
        case "read-only", "standby" -> "secondary";
        case "prefer-standby" -> "preferSecondary";
        default -> "any";
      });
    }
    return props;
  }

  private static void copy(Map<String, String> from, String key, Properties to, String toKey) {
    String v = from.get(key);
    if (v != null) {
      to.setProperty(toKey, v);
    }
  }

  private static List<String> parseHosts(String hostlist, String uri) {
    List<String> hosts = new ArrayList<>();
    for (String spec : hostlist.isEmpty() ? new String[] {""} : hostlist.split(",", -1)) {
      String host;
      String port = null;
      if (spec.startsWith("[")) {
        int close = spec.indexOf(']');
        if (close < 0) {
          throw bad("unterminated IPv6 address in " + uri, uri);
        }
        host = spec.substring(0, close + 1);
        String after = spec.substring(close + 1);
        if (!after.isEmpty()) {
          if (!after.startsWith(":")) {
            throw bad("bad host " + spec + " in " + uri, uri);
          }
          port = after.substring(1);
        }
      } else {
        int colon = spec.indexOf(':');
        host = colon >= 0 ? spec.substring(0, colon) : spec;
        port = colon >= 0 ? spec.substring(colon + 1) : null;
      }
      host = host.isEmpty() ? "localhost" : decode(host, uri);
      hosts.add(host + ":" + parsePort(port, uri));
    }
    return hosts;
  }

  private static int parsePort(String port, String uri) {
    if (port == null || port.isEmpty()) {
      return DEFAULT_PORT;
    }
    try {
      int p = Integer.parseInt(port);
      if (p > 0 && p < 65536) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw bad("invalid port \"" + port + "\" in " + uri, uri);
  }

  private static void parseParams(String query, Map<String, String> params, String uri) {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad("missing \"=\" in URL parameter \"" + pair + "\"", uri);
      }
      params.put(decode(pair.substring(0, eq), uri), decode(pair.substring(eq + 1), uri));
    }
  }

  private static String decode(String s, String uri) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad("invalid percent-encoding in " + uri, uri);
    }
  }

  private static LifeboatException bad(String message, String uri) {
    String pw = null;
    try {
      int at = uri.lastIndexOf('@');
      int colon = uri.indexOf(':', uri.indexOf("//") + 2);
      pw = at > 0 && colon > 0 && colon < at ? uri.substring(colon + 1, at) : null;
    } catch (RuntimeException ignored) {
      // best effort: the Redactor's URL pattern still applies
    }
    return new LifeboatException(ErrorCode.BAD_URL, Redactor.redact(message, pw), HINT);
  }
}
