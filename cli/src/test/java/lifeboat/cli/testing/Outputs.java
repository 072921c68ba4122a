package lifeboat.cli.testing;

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
}
