package lifeboat.cli.wal;

import java.util.concurrent.Callable;
import lifeboat.cli.ConfigOption;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.WorkflowIds;
import lifeboat.worker.WalPushSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "archive-command", mixinStandardHelpOptions = true, description = {
    "Print the postgresql.conf lines that push a database's WAL to the worker.",
    "For wal: { archive: command } in lifeboat.yaml (docs/pitr.md).",
    "The command is curl: no JVM starts per segment. The token goes in a header file only postgres reads, never"
        + " in postgresql.conf."})
public final class WalArchiveCommandCommand implements Callable<Integer> {
  /** What a path or host may hold to go into postgresql.conf's quotes and curl's arguments unquoted. */
  private static final String PLAIN = "[A-Za-z0-9/._\\-\\[\\]:]+";

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(index = "0", description = "Database name, as in lifeboat.yaml (with wal: { archive: command }).")
  String database;

  @Option(names = "--host", description = "The worker's address as the database server reaches it (default:"
      + " wal.listen's host; required when the worker listens on every interface).")
  String host;

  @Option(names = "--header-file", defaultValue = "/etc/lifeboat/wal-token.header",
      description = "Where the server keeps the token's header (default ${DEFAULT-VALUE}).")
  String headerFile;

  @Override
  public Integer call() {
    WorkflowIds.requireName(database);
    WalPushSettings push = WalPushSettings.of(config.path(), database);
    String to = host != null ? host : push.wildcard() ? null : push.host();
    if (to == null) {
      throw new IllegalArgumentException("the worker listens on every interface (" + push.host() + ":" + push.port()
          + ") HINT: pass --host with the worker's address as the database server reaches it");
    }
    if (!to.matches(PLAIN) || !headerFile.matches(PLAIN)) {
      throw new IllegalArgumentException("--host and --header-file may hold only letters, digits and / . _ - : [ ]");
    }
    // Never the token itself: the variable it is in on the worker, or WAL_TOKEN set from the worker's file.
    boolean inFile = push.tokenReference().startsWith("file:");
    String variable = inFile ? "WAL_TOKEN" : push.tokenReference().substring("env:".length());
    var out = spec.commandLine().getOut();
    out.println("# postgresql.conf of " + database + "'s server (archive_mode needs a restart, the others a reload)");
    out.println("archive_mode = on");
    out.println("archive_timeout = 60s   # the recovery point: a segment is pushed when full, or after this long");
    out.println("archive_command = 'curl --fail --silent --show-error --max-time 60 -H @" + headerFile + " -T %p"
        + " http://" + to + ":" + push.port() + "/wal/" + database + "/%f'");
    out.println();
    out.println("# The token, in a header file only the postgres OS user reads (never in postgresql.conf, which");
    out.println("# superusers and pg_read_all_settings members read), with " + variable + " holding the worker's"
        + (inFile ? " token (the content of " + push.tokenReference().substring("file:".length()) + ")" : " token"));
    out.println("install -d -m 755 " + headerFile.substring(0, Math.max(1, headerFile.lastIndexOf('/'))));
    out.println("(umask 077; printf 'Authorization: Bearer %s\\n' \"$" + variable + "\" > " + headerFile + ")");
    out.println("chown postgres " + headerFile);
    out.flush();
    return ExitCodes.OK;
  }
}
