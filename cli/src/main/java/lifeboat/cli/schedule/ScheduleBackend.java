package lifeboat.cli.schedule;

import java.io.PrintWriter;
import java.util.List;
import lifeboat.workflows.runbook.Runbook;

/**
 * What the schedule verbs do, on one kind of server: native Temporal Schedules on a real server,
 * ScheduleWorkflows on the in-memory one. {@link Schedules#on} picks. Methods naming a schedule throw
 * {@link ScheduleNotFoundException} when there is none.
 */
interface ScheduleBackend {
  /** Creates or updates one schedule per scheduled runbook, removes Lifeboat's others; says each on {@code out}. */
  void apply(List<Runbook> runbooks, PrintWriter out);

  /** Lifeboat's schedules, by id. */
  List<ScheduleRow> list();

  void pause(String id, String by, String reason);

  void resume(String id);

  void trigger(String id);
}
