package lifeboat.activities.support;

import java.nio.file.Path;
import lifeboat.activities.config.Config;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.model.DbTarget;

/** Turns a {@link DbTarget} (names and a secret reference) into a connection, resolving the password here. */
public final class DbTargets {
  private DbTargets() {}

  public static DbConnection connection(Workspace workspace, Config cfg, DbTarget target) {
    if (target.inPlace()) {
      return workspace.connection(cfg, target.database());
    }
    String engine = cfg.database(target.database()).engine();
    boolean url = ConnectionStrings.isPostgresUrl(target.url());
    if (engine.equals("postgres") != url) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID,
          "target " + target.url() + " does not suit the " + engine + " database " + target.database(),
          engine.equals("postgres") ? "give a postgresql://user@host:port/database URL" : "give a file path");
    }
    if (!url) {
      return DbConnection.sqlite(Path.of(target.url()).toAbsolutePath().toString());
    }
    if (ConnectionStrings.containsPassword(target.url())) {
      throw new LifeboatException(ErrorCode.TARGET_INVALID, "target URL must not contain a password",
          "pass the password as a secret reference (env:NAME or file:PATH)");
    }
    return DbConnection.postgres(target.url(), cfg.secrets().resolve(target.passwordRef(), "target password"));
  }
}
