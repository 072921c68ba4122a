package lifeboat.cli.schedule;

import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pause", description = {
    "Hold back a schedule's fires until `schedule resume`. A run in progress goes on; `trigger` still runs."})
public final class SchedulePauseCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(index = "0", description = "Runbook name (or schedule-<runbook>).")
  String name;

  @Option(names = "--reason", description = "Why, shown by `schedule list`.")
  String reason;

  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who (default: ${DEFAULT-VALUE}).")
  String by;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      Schedules.stub(t, name).pause(by, reason);
      spec.commandLine().getOut().println("paused " + Schedules.idOf(name)
          + (reason == null ? "" : ": " + reason));
      return ExitCodes.OK;
    }
  }
}
