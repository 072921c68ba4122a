package lifeboat.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.activities.testing.PgBouncer;
import lifeboat.activities.testing.PgCluster;

/** The failover runbook the CLI's failover tests run: database app, approver alice, repoint through PgBouncer. */
public final class FailoverRunbooks {
  private FailoverRunbooks() {}

  /**
   * Writes {@code app-failover.yaml} into {@code runbooks}, and the PgBouncer admin password beside the home's
   * lifeboat.yaml (the database's password file is the home's {@code pgpass-app}).
   */
  public static Path appFailover(Path runbooks, LifeboatHome home, PgCluster primary, PgCluster standby,
      PgBouncer bouncer) {
    home.writeSecret("pgb-admin", bouncer.adminPassword());
    try {
      return Files.writeString(runbooks.resolve("app-failover.yaml"), """
          kind: failover
          database: app
          approval: { approvers: [alice], remindEvery: 15m }
          failover:
            primary: { url: "%s", password: file:pgpass-app }
            standby: { url: "%s", password: file:pgpass-app }
            probe: { attempts: 2, window: 1s, timeout: 2s }
            repoint:
              type: pgbouncer
              config: %s
              database: app
              admin: { url: "%s", password: file:pgb-admin }
          """.formatted(primary.url("app"), standby.url("app"), bouncer.iniFile(), bouncer.adminUrl()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
