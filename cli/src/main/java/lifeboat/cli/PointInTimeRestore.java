package lifeboat.cli;

import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import lifeboat.workflows.pitr.PitrRequest;
import lifeboat.workflows.pitr.PitrResult;
import lifeboat.workflows.pitr.PointInTimeRestoreWorkflow;
import picocli.CommandLine.Model.CommandSpec;

/** `lifeboat restore <db> --to-dir DIR --port P [--to-time T | --to-lsn L | --immediate]`: starts and tells. */
final class PointInTimeRestore {
  private final CommandSpec spec;
  private final TemporalOptions temporal;

  PointInTimeRestore(CommandSpec spec, TemporalOptions temporal) {
    this.spec = spec;
    this.temporal = temporal;
  }

  int run(PitrRequest request, boolean await) {
    String id = WorkflowIds.next("pitr", request.database());
    try (Temporal t = new Temporal(temporal)) {
      PointInTimeRestoreWorkflow wf = t.client().newWorkflowStub(PointInTimeRestoreWorkflow.class,
          t.start(id, "restore", request.database()));
      WorkflowClient.start(wf::restore, request);
      PrintWriter out = spec.commandLine().getOut();
      out.println("started point-in-time restore of " + request.database() + " to " + request.target() + " into "
          + request.dir() + " (port " + request.port() + "): workflow " + id);
      out.flush();
      if (await) {
        PitrResult r = WaitForResult.get(t, temporal.namespace(), id, PitrResult.class, out);
        out.println(text(r));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  static String text(PitrResult r) {
    return "restored " + r.database() + " to " + r.target() + " in " + Format.millis(r.durationMillis())
        + ": base backup " + r.backupId() + ", WAL " + r.firstSegment() + " to " + r.lastSegment() + " ("
        + r.segmentsFetched() + " objects)\n"
        + "  " + r.outcome().stoppedAt() + "\n"
        + "  last transaction replayed: " + (r.outcome().lastTransactionAt() == null ? "none"
            : r.outcome().lastTransactionAt()) + " (WAL " + r.outcome().replayedLsn() + ")"
        + (r.outcome().endOfArchive() ? "; no transaction in the archive after it: this is the database at the"
            + " target" : "") + "\n"
        + "  the server runs on 127.0.0.1:" + r.port() + ", data in " + r.dir() + " (stop it with pg_ctl -D "
        + r.dir() + " stop)";
  }
}
