package lifeboat.activities.wal;

import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.model.ConnectionStrings;

/**
 * {@code wal/<db>/follow.json}: the server a database's WAL archive, base backups and restore points go to after
 * a Lifeboat failover promoted a standby, instead of the {@code url} in lifeboat.yaml (which usually still names
 * the old primary, or a PgBouncer that cannot carry a replication connection). Written by the failover's
 * follow-wal-archive step; every attempt of StreamWal reads it, so an archive stuck retrying against the dead
 * primary moves over by itself. In the repository, beside the archive it concerns, so every worker sees the same.
 *
 * @param url         postgresql://user@host:port/db of the new primary, no password
 * @param password    its secret reference (env:NAME, file:PATH), resolved by the worker; never the secret
 * @param since       when the failover wrote it (ISO-8601)
 * @param reason      who wrote it: "failover failover-app-…"
 */
public record FollowedPrimary(String url, String password, String since, String reason) {
  public static String key(String database) {
    return WalArchive.prefix(database) + "follow.json";
  }

  /** The record, or null when the archive follows lifeboat.yaml's url. */
  public static FollowedPrimary read(Repository repo, String database) {
    return SmallJson.read(repo, key(database), FollowedPrimary.class,
        "write it again by hand (url, password) or remove it to follow lifeboat.yaml's url");
  }

  public void write(Repository repo, String database) {
    if (url == null || !ConnectionStrings.isPostgresUrl(url) || ConnectionStrings.containsPassword(url)) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "the new primary of " + database + " needs a"
          + " postgresql:// URL without a password, not " + (url == null ? "none" : "that"),
          "write failover.standby: { url: \"postgresql://user@host:5432/db\", password: env:NAME }");
    }
    SmallJson.write(repo, key(database), this);
  }

  /**
   * The server the database's physical operations go to: the followed primary when a failover recorded one,
   * else lifeboat.yaml's url.
   */
  public static DbConnection connection(Workspace workspace, Config cfg, String database) {
    FollowedPrimary followed = read(workspace.repository(cfg, cfg.database(database).repository()), database);
    if (followed == null) {
      return workspace.connection(cfg, database);
    }
    return DbConnection.postgres(followed.url(), cfg.secrets().resolve(followed.password(),
        key(database) + " password"));
  }
}
