package lifeboat.activities.migration;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import lifeboat.activities.config.Secrets;
import lifeboat.activities.engine.DbConnection;
import lifeboat.activities.engine.MariaDbUrls;
import lifeboat.activities.engine.PgUrls;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.runbook.MigratorSpec;

/**
 * The whole environment a migrator command gets. Deliberately not the worker's environment: that holds the
 * backup key's passphrase and the repository's credentials, which a schema tool has no business seeing. It
 * gets the few variables a shell and its tools need, the database's connection (DATABASE_URL and libpq's PG*
 * variables; for MariaDB DATABASE_URL and the MYSQL_* variables its client reads), the runbook's {@code env}, and
 * its {@code secretEnv} resolved here.
 */
final class CommandEnvironment {
  /** Passed through from the worker when set: what a shell, node, python or java need to start at all. */
  static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL",
      "LC_CTYPE", "TZ", "TMPDIR", "JAVA_HOME");
  static final Set<String> OURS = Set.of("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD",
      "MYSQL_HOST", "MYSQL_TCP_PORT", "MYSQL_PWD", "MYSQL_USER", "MYSQL_DATABASE");

  private final Map<String, String> variables;
  private final List<String> secrets;

  private CommandEnvironment(Map<String, String> variables, List<String> secrets) {
    this.variables = variables;
    this.secrets = secrets;
  }

  static CommandEnvironment of(Map<String, String> workerEnv, DbConnection db, MigratorSpec spec, Secrets resolver) {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> secrets = new ArrayList<>();
    for (String name : INHERITED) {
      if (workerEnv.get(name) != null) {
        env.put(name, workerEnv.get(name));
      }
    }
    Map<String, String> plain = spec.env() == null ? Map.of() : spec.env();
    Map<String, String> secretRefs = spec.secretEnv() == null ? Map.of() : spec.secretEnv();
    Set<String> clashing = new java.util.TreeSet<>(plain.keySet());
    clashing.addAll(secretRefs.keySet());
    clashing.retainAll(OURS);
    if (!clashing.isEmpty()) {
      throw MigratorSpecs.invalid("migrator env sets " + String.join(", ", clashing) + ", which Lifeboat sets itself",
          "remove it: the command always gets the target's DATABASE_URL and PG* (MariaDB: MYSQL_*) variables");
    }
    env.putAll(plain);
    secretRefs.forEach((name, ref) -> {
      String value = resolver.resolve(ref, "migrator.secretEnv." + name);
      env.put(name, value);
      secrets.add(value);
    });
    if (db.path() != null) { // SQLite and DuckDB: the file
      env.put("DATABASE_URL", "file:" + db.path());
    } else if (ConnectionStrings.isMariaDbUrl(db.url())) {
      mariadb(db, env, secrets);
    } else {
      postgres(db, env, secrets);
    }
    return new CommandEnvironment(env, secrets);
  }

  private static void postgres(DbConnection db, Map<String, String> env, List<String> secrets) {
    PgUrls.PgUrl url = PgUrls.parse(db.url());
    String password = db.password() != null ? db.password() : url.password();
    String first = url.hosts().get(0);
    int colon = first.lastIndexOf(':');
    String query = url.params().entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    env.put("DATABASE_URL", "postgresql://" + encode(url.user()) + (password == null ? "" : ":" + encode(password))
        + "@" + String.join(",", url.hosts()) + "/" + encode(url.database()) + (query.isEmpty() ? "" : "?" + query));
    env.put("PGHOST", first.substring(0, colon).replace("[", "").replace("]", ""));
    env.put("PGPORT", first.substring(colon + 1));
    env.put("PGUSER", url.user());
    env.put("PGDATABASE", url.database());
    if (password != null) {
      env.put("PGPASSWORD", password);
      secrets.add(password);
      secrets.add(encode(password)); // a tool that echoes DATABASE_URL prints it encoded
    }
  }

  /**
   * The mariadb client and mariadb-dump read MYSQL_HOST, MYSQL_TCP_PORT and MYSQL_PWD themselves; the user and
   * database have no such variable, so MYSQL_USER and MYSQL_DATABASE (the names the MariaDB container images use)
   * are for the script to pass: {@code mariadb --protocol=TCP -u "$MYSQL_USER" "$MYSQL_DATABASE"}. DATABASE_URL
   * is mysql://, the scheme Prisma, Rails and SQLAlchemy-style tools take for MariaDB too.
   */
  private static void mariadb(DbConnection db, Map<String, String> env, List<String> secrets) {
    MariaDbUrls.MariaDbUrl url = MariaDbUrls.parse(db.url());
    String password = db.password();
    env.put("DATABASE_URL", "mysql://" + encode(url.user()) + (password == null ? "" : ":" + encode(password))
        + "@" + url.host() + ":" + url.port() + "/" + encode(url.database()));
    env.put("MYSQL_HOST", url.host());
    env.put("MYSQL_TCP_PORT", Integer.toString(url.port()));
    env.put("MYSQL_USER", url.user());
    env.put("MYSQL_DATABASE", url.database());
    if (password != null) {
      env.put("MYSQL_PWD", password);
      secrets.add(password);
      secrets.add(encode(password));
    }
  }

  /** Percent-encoding for a URI's parts (URLEncoder's '+' for a space means a plus to libpq). */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Map<String, String> variables() {
    return variables;
  }

  /** Every secret value given to the command, to be removed from anything it prints. */
  String[] secrets() {
    return secrets.toArray(String[]::new);
  }
}
