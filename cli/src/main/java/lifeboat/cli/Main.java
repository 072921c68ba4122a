package lifeboat.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import lifeboat.cli.approval.ApproveCommand;
import lifeboat.cli.wal.WalCommand;
import lifeboat.cli.approval.PendingCommand;
import lifeboat.cli.approval.RejectCommand;
import lifeboat.cli.backup.BackupCommand;
import lifeboat.cli.drill.DrillCommand;
import lifeboat.cli.failover.FailoverCommand;
import lifeboat.cli.migrate.MigrateCommand;
import lifeboat.cli.keys.KeysCommand;
import lifeboat.cli.retention.RetentionCommand;
import lifeboat.cli.runbook.RunbookCommand;
import lifeboat.cli.schedule.ScheduleCommand;
import java.util.Optional;
import lifeboat.worker.history.HistoryKeyErrors;
import lifeboat.workflows.StepLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lifeboat", mixinStandardHelpOptions = true, versionProvider = LifeboatVersion.class,
    description = "Disaster-recovery runbooks for databases, run as durable Temporal workflows.",
    subcommands = {
        DemoCommand.class, DevCommand.class, WorkerCommand.class, CodecServerCommand.class, KeysCommand.class,
        BackupCommand.class, RestoreCommand.class, RestorePointCommand.class, StatusCommand.class, RetentionCommand.class, CheckCommand.class,
        RunbookCommand.class, ScheduleCommand.class, DrillCommand.class, MigrateCommand.class,
        ApproveCommand.class, RejectCommand.class, PendingCommand.class, FailoverCommand.class, WalCommand.class,
        HelpCommand.class})
public final class Main {
  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an error, not only its one-line message.")
  boolean verbose;

  /**
   * gRPC logs through java.util.logging: an unresolvable --address becomes a WARNING with a stack of some sixty
   * lines before the one-line error. Held here, because JUL keeps loggers weakly and would forget the level.
   */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  public static void main(String[] args) {
    if (!java.util.Arrays.asList(args).contains("--verbose")) {
      GRPC_LOG.setLevel(java.util.logging.Level.OFF);
    }
    int exit = commandLine().execute(args);
    ClientEventLoop.stop();
    System.exit(exit);
  }

  /** The whole command line, for main and for tests that run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    everySubcommand(cli, sub -> sub.getCommandSpec().versionProvider(cli.getCommandSpec().versionProvider()));
    return cli;
  }

  /** Picocli gives a sub-command no version of its parent's: `backup run -V` would print an empty line. */
  private static void everySubcommand(CommandLine command, java.util.function.Consumer<CommandLine> action) {
    for (CommandLine sub : command.getSubcommands().values()) {
      action.accept(sub);
      everySubcommand(sub, action);
    }
  }

  /** One line on standard error, with the stack only under --verbose; the exit code says which kind. */
  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose")
        || parsed.asCommandLineList().stream().anyMatch(c -> c.getParseResult().hasMatchedOption("--verbose"));
    var err = cmd.getErr();
    int code;
    String message;
    StatusRuntimeException unavailable = unavailable(e);
    Optional<String> historyKey = HistoryKeyErrors.userMessage(e);
    if (unavailable != null) {
      // Checked first: the client wraps it (WorkflowServiceException is a WorkflowException), yet nothing ran.
      code = ExitCodes.UNEXPECTED_STATE;
      String why = String.valueOf(unavailable.getStatus().getDescription());
      message = "cannot reach the Temporal server: " + why + " [TEMPORAL_UNREACHABLE] HINT: "
          + (why.startsWith("Unable to resolve host") ? "check the host name in --address (or LIFEBOAT_ADDRESS)"
              : "start `lifeboat dev`, or pass --address host:port");
    } else if (e instanceof IllegalArgumentException) {
      code = ExitCodes.INVALID_INPUT;
      message = e.getMessage();
    } else if (historyKey.isPresent()) {
      // Before WorkflowException: a result or failure this client cannot decrypt is no workflow failure.
      code = ExitCodes.UNEXPECTED_STATE;
      message = historyKey.get();
    } else if (e instanceof WorkflowNotFoundException) {
      code = ExitCodes.UNEXPECTED_STATE;
      message = "no such workflow: " + ((WorkflowNotFoundException) e).getExecution().getWorkflowId();
    } else if (e instanceof WorkflowException && UnknownNames.in(e).isPresent()) {
      code = ExitCodes.INVALID_INPUT;
      message = UnknownNames.in(e).get().getOriginalMessage();
    } else if (e instanceof WorkflowException) {
      code = ExitCodes.FAILED;
      message = "failed: " + StepLog.describe(e.getCause() != null ? e.getCause() : e);
    } else if (e instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
      code = ExitCodes.UNEXPECTED_STATE;
      message = "not found: " + s.getStatus().getDescription();
    } else {
      code = ExitCodes.UNEXPECTED_STATE;
      message = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    err.println("lifeboat: " + message);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The gRPC "server unavailable" error in {@code e}'s cause chain, or null. */
  private static StatusRuntimeException unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return s;
      }
    }
    return null;
  }
}
