package lifeboat.activities.failover;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.errors.Redactor;
import lifeboat.workflows.failover.RepointResult;
import lifeboat.workflows.runbook.RepointSpec;

/**
 * Rewrites the host and port of the URL in one variable of an env file (VAR=url, export VAR=url, quoted or not);
 * the user, a password in the URL, the database and options stay, and so does every other line. The
 * application must re-read the file (a restart or reload the runbook's operator triggers): Lifeboat only
 * writes it. Results show the URL with any password masked.
 */
final class EnvFileTarget implements RepointTarget {
  /** scheme://[userinfo@]host:port/rest: group 2 is the host:port to replace. */
  private static final Pattern URL = Pattern.compile("^([a-z]+://(?:[^@/]*@)?)([^/?@]*)(.*)$", Pattern.DOTALL);

  @Override
  public RepointResult repoint(RepointSpec spec, Endpoints.HostPort to) {
    if (spec.path() == null) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "repoint type env-file needs path",
          "write repoint: { type: env-file, path: /etc/app/db.env, variable: DATABASE_URL }");
    }
    String variable = spec.variableOrDefault();
    Path file = Path.of(spec.path());
    String content = AtomicFiles.read(file, "env file");
    Pattern line = Pattern.compile("(?m)^(\\s*(?:export\\s+)?" + Pattern.quote(variable) + "=)([\"']?)(.*?)\\2(\\r?)$");
    Matcher m = line.matcher(content);
    if (!m.find()) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "no " + variable + "= line in " + file,
          "set failover.repoint.variable to the variable that holds the application's database URL");
    }
    String previous = m.group(3);
    Matcher u = URL.matcher(previous);
    if (!u.matches() || u.group(2).contains(",")) {
      throw new LifeboatException(ErrorCode.FAILOVER_INVALID, variable + " in " + file
          + " is not a single-host URL: " + Redactor.redact(previous), "write it as postgresql://user@host:5432/db");
    }
    String current = u.group(1) + to + u.group(3);
    boolean changed = !current.equals(previous);
    if (changed) {
      String replaced = content.substring(0, m.start(3)) + current + content.substring(m.end(3));
      AtomicFiles.replace(file, replaced);
      if (!AtomicFiles.read(file, "env file").equals(replaced)) {
        throw new LifeboatException(ErrorCode.FAILOVER_REPOINT_FAILED, file + " does not read back as written",
            "another process rewrites it: stop it and retry");
      }
    }
    return new RepointResult(RepointSpec.ENV_FILE, file + " " + variable, Redactor.redact(previous),
        Redactor.redact(current), changed, "read back from " + file);
  }
}
