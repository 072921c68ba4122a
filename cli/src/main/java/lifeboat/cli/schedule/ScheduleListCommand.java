package lifeboat.cli.schedule;

import java.util.Locale;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import lifeboat.workflows.schedule.ScheduleDescription;
import lifeboat.workflows.schedule.ScheduleRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "Running schedules: runbook, next fire time, paused, last run (by query).")
public final class ScheduleListCommand implements Callable<Integer> {
  private static final String ROW = "%-28s %-8s %-12s %-22s %-7s %s";
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      var out = spec.commandLine().getOut();
      var ids = Schedules.openIds(t);
      if (ids.isEmpty()) {
        out.println("no schedules (apply some with `lifeboat schedule apply runbooks/`)");
        return ExitCodes.OK;
      }
      out.println(String.format(Locale.ROOT, ROW, "SCHEDULE", "KIND", "DATABASE", "NEXT FIRE", "PAUSED",
          "LAST RUN"));
      for (String id : ids) {
        ScheduleDescription d = Schedules.stub(t, id).describe();
        out.println(String.format(Locale.ROOT, ROW, id, d.runbook().kind(), d.runbook().database(),
            d.nextFireTime() == null ? "-" : d.nextFireTime(),
            d.paused() ? "yes" : "no", lastRun(d)));
        if (d.paused()) {
          out.println("    paused by " + d.pausedBy() + (d.pauseReason() == null ? "" : ": " + d.pauseReason()));
        }
        if (d.problem() != null) {
          out.println("    " + d.problem());
        }
      }
      return ExitCodes.OK;
    }
  }

  private static String lastRun(ScheduleDescription d) {
    ScheduleRun r = d.lastRun();
    if (r == null) {
      return "-";
    }
    return r.outcome() + " " + r.fireTime() + " " + r.workflowId() + (r.detail() == null ? "" : " (" + r.detail() + ")");
  }
}
