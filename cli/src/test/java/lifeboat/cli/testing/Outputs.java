package lifeboat.cli.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pieces of `lifeboat` output that tests feed into the next command. */
public final class Outputs {
  private static final Pattern WORKFLOW_ID = Pattern.compile("workflow (\\S+)");

  private Outputs() {}

  /** The id from "started ...: workflow ID". */
  public static String workflowId(CliResult started) {
    Matcher m = WORKFLOW_ID.matcher(started.out());
    if (!m.find()) {
      throw new AssertionError("no workflow id in:\n" + started);
    }
    return m.group(1);
  }

  /** A `--json` command's standard output, parsed: it exited 0, printed JSON only, and nothing on stderr. */
  public static JsonNode json(CliResult r) {
    if (r.exit() != 0 || !r.err().isEmpty()) {
      throw new AssertionError("a clean --json run expected:\n" + r);
    }
    try {
      return new ObjectMapper().readTree(r.out());
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + e.getOriginalMessage() + "\n" + r, e);
    }
  }

  /** The element of a JSON array whose {@code field} is {@code value}. */
  public static JsonNode element(JsonNode array, String field, String value) {
    for (JsonNode e : array) {
      if (value.equals(e.path(field).asText(null))) {
        return e;
      }
    }
    throw new AssertionError("no element with " + field + " = " + value + " in:\n" + array.toPrettyString());
  }
}
