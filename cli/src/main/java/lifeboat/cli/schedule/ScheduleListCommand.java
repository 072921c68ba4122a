package lifeboat.cli.schedule;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.Json;
import lifeboat.cli.Temporal;
import lifeboat.cli.TemporalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lifeboat's schedules: runbook, next fire time, paused, last run.")
public final class ScheduleListCommand implements Callable<Integer> {
  private static final String ROW = "%-28s %-8s %-12s %-22s %-7s %s";
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Option(names = "--json", description = "Print the schedules as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Temporal t = new Temporal(temporal)) {
      var out = spec.commandLine().getOut();
      List<ScheduleRow> rows = Schedules.on(t).list();
      if (json) {
        Json.print(out, rows);
        return ExitCodes.OK;
      }
      if (rows.isEmpty()) {
        out.println("no schedules (apply some with `lifeboat schedule apply runbooks/`)");
        return ExitCodes.OK;
      }
      out.println(String.format(Locale.ROOT, ROW, "SCHEDULE", "KIND", "DATABASE", "NEXT FIRE", "PAUSED",
          "LAST RUN"));
      for (ScheduleRow r : rows) {
        out.println(String.format(Locale.ROOT, ROW, r.id(), r.kind(), r.database(), dash(r.nextFire()),
            r.paused() ? "yes" : "no", dash(r.lastRun())));
        if (r.pauseNote() != null) {
          out.println("    " + r.pauseNote());
        }
        if (r.problem() != null) {
          out.println("    " + r.problem());
        }
      }
      return ExitCodes.OK;
    }
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
