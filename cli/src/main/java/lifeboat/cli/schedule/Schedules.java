package lifeboat.cli.schedule;

import java.io.PrintWriter;
import java.util.List;
import lifeboat.cli.Temporal;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.worker.ServerFeatures;

/**
 * The schedule verbs' entry point: native Temporal Schedules on a server with the Schedules API, else (the
 * in-memory server) Lifeboat's own ScheduleWorkflows. Same verbs, same ids ({@code schedule-<runbook>}) on both.
 */
public final class Schedules {
  private Schedules() {}

  /** The backend for the server behind {@code t}, asked once per command. */
  static ScheduleBackend on(Temporal t) {
    return ServerFeatures.probe(t.service(), t.client().getOptions().getNamespace()).realServer()
        ? new NativeSchedules(t) : new WorkflowSchedules(t);
  }

  /** Applies the runbooks' schedules on whichever server {@code t} reaches (see {@link ScheduleBackend#apply}). */
  public static void apply(Temporal t, List<Runbook> runbooks, PrintWriter out) {
    on(t).apply(runbooks, out);
    out.println(runbooks.stream().filter(r -> r.schedule() != null).count() + " schedule(s) applied");
    out.flush();
  }

  /** A runbook's schedule in words, for command output. */
  public static String describe(Runbook r) {
    return "cron \"" + r.schedule().cron() + "\" "
        + (r.schedule().timeZone() == null ? "UTC" : r.schedule().timeZone())
        + (r.schedule().jitter() == null ? "" : " + up to " + r.schedule().jitter() + " jitter");
  }
}
