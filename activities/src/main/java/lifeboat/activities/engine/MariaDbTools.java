package lifeboat.activities.engine;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs mariadb-dump and the mariadb client against a configured server. The password travels in MYSQL_PWD
 * (the environment, readable only by the worker's own user), never on a command line where `ps` shows it;
 * --no-defaults keeps a my.cnf on the worker host from changing what is dumped or where it connects.
 */
public final class MariaDbTools {
  private MariaDbTools() {}

  /**
   * Starts {@code tool} with the connection options of {@code db}, then {@code args}. {@code withDatabase}: the
   * URL's database goes last (a dump of it, or the client's default database); stdin is a pipe unless a dump.
   */
  public static ToolProcess start(DbConnection db, String tool, List<String> args, boolean withDatabase,
      ProcessBuilder.Redirect stdout) {
    MariaDbUrls.MariaDbUrl url = MariaDbUrls.parse(db.url());
    List<String> cmd = new ArrayList<>(List.of(tool, "--no-defaults", "--host=" + url.host(),
        "--port=" + url.port(), "--user=" + url.user(), "--protocol=TCP"));
    if (tool.equals("mariadb")) {
      cmd.add("--connect-timeout=10"); // mariadb-dump has no such option; the JDBC checks before it time out
    }
    cmd.addAll(args);
    if (withDatabase) {
      cmd.add("--");
      cmd.add(url.database());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout);
    if (tool.equals("mariadb-dump")) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    pb.environment().remove("MYSQL_PWD");
    if (db.password() != null) {
      pb.environment().put("MYSQL_PWD", db.password());
    }
    return ToolProcess.start(pb, MariaDbErrors.INSTALL_HINT);
  }
}
