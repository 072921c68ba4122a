package lifeboat.cli.failover;

import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "timeline", mixinStandardHelpOptions = true,
    description = "The incident timeline of a failover, running or finished, as Markdown.")
public final class FailoverTimelineCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Workflow id, as `failover start` printed it.")
  String workflowId;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      String markdown = t.client().newUntypedWorkflowStub(workflowId).query("timeline", String.class);
      spec.commandLine().getOut().print(markdown);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
