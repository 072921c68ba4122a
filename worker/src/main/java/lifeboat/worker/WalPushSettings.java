package lifeboat.worker;

import java.nio.file.Path;
import lifeboat.activities.config.Config;
import lifeboat.activities.config.ConfigLoader;
import lifeboat.activities.config.LifeboatConfig.WalConfig;
import lifeboat.activities.config.ListenAddress;
import lifeboat.activities.errors.LifeboatException;

/**
 * Where a database in archive_command mode pushes its WAL, for `lifeboat wal archive-command`: a facade, as
 * {@link ConfiguredDatabases} is, so the CLI never sees the configuration classes. Never the token itself: only
 * the name of its secret.
 *
 * @param host            wal.listen's host (brackets kept on an IPv6 literal, as a URL wants it)
 * @param port            wal.listen's port
 * @param wildcard        whether the worker listens on every interface (then the host is no address to push to)
 * @param tokenReference  wal.token: env:NAME or file:PATH
 */
public record WalPushSettings(String host, int port, boolean wildcard, String tokenReference) {

  /** @throws IllegalArgumentException with a one-line message: a broken file, an unknown database, stream mode */
  public static WalPushSettings of(Path configFile, String database) {
    try {
      Config cfg = ConfigLoader.load(configFile);
      WalConfig wal = cfg.database(database).wal();
      if (wal == null || !wal.command()) {
        throw new IllegalArgumentException("database " + database + " is not in archive_command mode [CONFIG_INVALID]"
            + " HINT: set wal: { archive: command, listen: \"HOST:PORT\", token: env:NAME } under databases."
            + database + " in " + configFile + " (docs/pitr.md#archive_command-mode)");
      }
      ListenAddress listen = ListenAddress.parse(wal.listen());
      return new WalPushSettings(listen.host(), listen.port(), listen.wildcard(), wal.token());
    } catch (LifeboatException e) {
      throw new IllegalArgumentException(e.userMessage(), e);
    }
  }
}
