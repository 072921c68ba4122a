package lifeboat.cli;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowServiceException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import lifeboat.workflows.StepLog;
import lifeboat.workflows.check.CheckWorkflow;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.model.CheckResult;
import lifeboat.workflows.model.DatabaseCheck;
import lifeboat.workflows.runbook.AlarmPolicy;
import lifeboat.workflows.runbook.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true, description = {
    "Check that databases have a fresh verified backup of a plausible size.",
    "Runs CheckWorkflow on a worker; alarms also go to the worker's alerts.webhook.",
    "Exit codes, for cron and Nagios-style monitors: 0 all ok, 1 an alarm, 2 invalid input, 3 the check could"
        + " not run."})
public final class CheckCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(arity = "0..*", paramLabel = "DATABASE",
      description = "Databases to check, as in lifeboat.yaml (default: every database the worker has).")
  List<String> databases = new ArrayList<>();

  @Option(names = "--max-age", paramLabel = "AGE",
      description = "Alarm when the newest verified backup is older than this: 90m, 26h, 7d (default 26h).")
  String maxAge;

  @Option(names = "--size-change", paramLabel = "PERCENT",
      description = "Alarm when a backup's size differs from the previous one by more than this many percent, "
          + "either way (default 20).")
  Integer sizeChange;

  @Option(names = "--json", description = "Print the whole result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    databases.forEach(db -> KnownDatabases.require(temporal.config(), db));
    if (maxAge != null) {
      Durations.parse(maxAge); // IllegalArgumentException: exit 2, nothing started
    }
    if (sizeChange != null && sizeChange < 0) {
      throw new IllegalArgumentException("--size-change must be 0 or more");
    }
    CheckRequest request = new CheckRequest(List.copyOf(databases), new AlarmPolicy(maxAge, sizeChange), Map.of());
    String id = WorkflowIds.next("check", databases.size() == 1 ? databases.get(0) : "all");
    PrintWriter out = spec.commandLine().getOut();
    CheckResult result;
    try (Temporal t = new Temporal(temporal)) {
      result = t.client().newWorkflowStub(CheckWorkflow.class,
          t.start(id, "check", databases.size() == 1 ? databases.get(0) : null)).check(request);
    } catch (WorkflowFailedException e) {
      return unknown(out, "the check failed: " + StepLog.describe(e.getCause() != null ? e.getCause() : e));
    } catch (WorkflowServiceException e) {
      // Nagios UNKNOWN, not an alarm: nothing is known about the backups.
      return unknown(out, "cannot reach the Temporal server at " + temporal.address() + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
    if (json) {
      Json.print(out, result);
    } else {
      print(result, out);
    }
    out.flush();
    return result.alarmCount() > 0 ? ExitCodes.ALARM : ExitCodes.OK;
  }

  private static int unknown(PrintWriter out, String why) {
    out.println("LIFEBOAT UNKNOWN: " + why);
    out.flush();
    return ExitCodes.UNEXPECTED_STATE;
  }

  /** First line a summary (what Nagios shows), then one line per database. */
  private static void print(CheckResult result, PrintWriter out) {
    long alarms = result.alarmCount();
    int total = result.databases().size();
    if (alarms == 0) {
      out.println("LIFEBOAT OK: " + total + (total == 1 ? " database" : " databases") + " checked");
    } else {
      out.println("LIFEBOAT ALARM: " + alarms + " of " + total + ": " + result.databases().stream()
          .filter(d -> !d.ok())
          .map(d -> d.database() + " (" + d.alarms().stream().map(Alarm::kind).collect(Collectors.joining(", ")) + ")")
          .collect(Collectors.joining(", ")));
    }
    for (DatabaseCheck d : result.databases()) {
      if (d.ok()) {
        out.println("OK     " + d.database() + ": newest " + d.newestBackupId() + ", " + age(d.ageSeconds())
            + " old (limit " + d.maxAge() + "), " + Format.bytes(d.rawBytes()) + " dumped, "
            + Format.bytes(d.storedBytes()) + " stored");
      } else {
        for (Alarm a : d.alarms()) {
          out.println("ALARM  " + d.database() + ": " + a.kind() + ": " + a.message());
        }
      }
    }
    if (alarms > 0) {
      out.println("alert: " + result.notification());
    }
  }

  private static String age(long seconds) {
    return seconds < 3600 ? (seconds / 60) + "m" : String.format(java.util.Locale.ROOT, "%.1fh", seconds / 3600.0);
  }
}
