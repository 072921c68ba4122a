package lifeboat.activities.failover;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.PgUrls;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.runbook.FailoverEndpoint;

/** A runbook's server (URL and secret reference) as a connection with its password resolved here, in the worker. */
final class Endpoints {
  private Endpoints() {}

  static DbConnection resolve(FailoverEndpoint endpoint, Secrets secrets, String usedBy) {
    if (endpoint == null || endpoint.url() == null || !ConnectionStrings.isPostgresUrl(endpoint.url())) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, usedBy + " needs a postgresql:// URL",
          "write " + usedBy + ": { url: \"postgresql://user@host:5432/db\", password: env:NAME }");
    }
    if (ConnectionStrings.containsPassword(endpoint.url())) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, usedBy + ".url must not contain a password",
          "put it in " + usedBy + ".password as env:NAME or file:PATH");
    }
    return DbConnection.postgres(endpoint.url(), secrets.resolve(endpoint.password(), usedBy + ".password"));
  }

  /** The single host and port of a URL, e.g. ("10.0.0.2", 5432); a multi-host URL cannot be a repoint target. */
  static HostPort hostPort(String url) {
    var hosts = PgUrls.parse(url).hosts();
    if (hosts.size() != 1) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "the new primary's URL names " + hosts.size()
          + " hosts: " + url, "give the standby one host: postgresql://user@host:5432/db");
    }
    return HostPort.of(hosts.get(0));
  }

  /**
   * A host and port. {@code host} is bare, as psql's -h, PgBouncer's host= and DNS records take it (an IPv6
   * address without brackets); {@link #toString()} is the URL form, with brackets for IPv6.
   */
  record HostPort(String host, int port) {
    /** From one of {@link PgUrls.PgUrl#hosts()}: "host:port" or "[v6]:port". */
    static HostPort of(String entry) {
      int colon = entry.lastIndexOf(':');
      String host = entry.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new HostPort(host, Integer.parseInt(entry.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * An unclassified connection with every timeout set to {@code timeout}: a probe must give up on time, and
   * a hung server (SIGSTOP) must not hold the probe for the driver's defaults.
   */
  static Connection open(DbConnection db, Duration timeout) throws SQLException {
    PgUrls.PgUrl url = PgUrls.parse(db.url());
    Properties props = PgUrls.jdbcProperties(url, db.password());
    String seconds = "" + Math.max(1, (timeout.toMillis() + 999) / 1000);
    props.setProperty("connectTimeout", seconds);
    props.setProperty("loginTimeout", seconds);
    props.setProperty("socketTimeout", seconds);
    Connection c = new org.postgresql.Driver().connect(url.jdbcUrl(), props);
    if (c == null) {
      throw new SQLException("not a PostgreSQL URL: " + db.display());
    }
    return c;
  }
}
