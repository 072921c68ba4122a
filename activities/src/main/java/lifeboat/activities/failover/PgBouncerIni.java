package lifeboat.activities.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Rewrites one entry of a pgbouncer.ini's [databases] section: only its host= and port= change; every other
 * byte of the file (comments, other entries, the entry's other settings, line endings) stays as it was.
 */
final class PgBouncerIni {
  private static final Pattern SECTION = Pattern.compile("^\\s*\\[([^\\]]+)\\]\\s*$");
  /** key=value, the value bare or single-quoted with '' as a quote inside. */
  private static final Pattern PAIR = Pattern.compile("(\\w+)\\s*=\\s*('(?:[^']|'')*'|[^\\s']+)");

  record Rewrite(String content, String previous, String current, boolean changed) {}

  private PgBouncerIni() {}

  static Rewrite pointAt(String content, String entry, String host, int port, String file) {
    List<String> lines = splitKeepingEndings(content);
    Pattern entryLine = Pattern.compile("^(\\s*(?:" + Pattern.quote(entry) + "|\"" + Pattern.quote(entry)
        + "\")\\s*=\\s*)(.*?)(\\s*)$", Pattern.DOTALL);
    String section = "";
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String body = stripEnding(line);
      Matcher s = SECTION.matcher(body);
      if (s.matches()) {
        section = s.group(1).trim().toLowerCase();
        continue;
      }
      if (!section.equals("databases") || body.isBlank() || body.trim().startsWith(";")
          || body.trim().startsWith("#")) {
        continue;
      }
      Matcher m = entryLine.matcher(body);
      if (!m.matches()) {
        int eq = body.indexOf('=');
        seen.add(eq > 0 ? body.substring(0, eq).trim() : body.trim());
        continue;
      }
      String previous = m.group(2);
      String current = withHostPort(previous, host, port);
      if (current.equals(previous)) {
        return new Rewrite(content, previous, current, false);
      }
      lines.set(i, m.group(1) + current + m.group(3) + line.substring(body.length()));
      return new Rewrite(String.join("", lines), previous, current, true);
    }
    throw new LifeboatException(ErrorCode.FAILOVER_INVALID, "no entry '" + entry + "' in the [databases] section"
        + " of " + file + " (entries: " + (seen.isEmpty() ? "none" : String.join(", ", seen)) + ")",
        "set failover.repoint.database to the entry the application connects through");
  }

  /** The connection string with host and port set (added at the end when missing). */
  static String withHostPort(String connstr, String host, int port) {
    StringBuilder out = new StringBuilder();
    Matcher m = PAIR.matcher(connstr);
    int last = 0;
    boolean hostSet = false;
    boolean portSet = false;
    while (m.find()) {
      out.append(connstr, last, m.start());
      String key = m.group(1);
      if (key.equalsIgnoreCase("host")) {
        out.append(key).append('=').append(host);
        hostSet = true;
      } else if (key.equalsIgnoreCase("port")) {
        out.append(key).append('=').append(port);
        portSet = true;
      } else {
        out.append(m.group());
      }
      last = m.end();
    }
    out.append(connstr.substring(last));
    String sep = out.length() == 0 ? "" : " ";
    if (!hostSet) {
      out.append(sep).append("host=").append(host);
      sep = " ";
    }
    if (!portSet) {
      out.append(sep).append("port=").append(port);
    }
    return out.toString();
  }

  private static List<String> splitKeepingEndings(String content) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        lines.add(content.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < content.length()) {
      lines.add(content.substring(start));
    }
    return lines;
  }

  private static String stripEnding(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }
}
