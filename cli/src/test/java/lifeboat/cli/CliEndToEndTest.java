package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.DevServer;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.PgTables;
import org.junit.jupiter.api.Test;

/**
 * The CLI as separate processes: `lifeboat dev` serving, each command its own JVM, a real PostgreSQL
 * database backed up and restored into a fresh one.
 */
class CliEndToEndTest {
  private static final Duration COMMAND = Duration.ofMinutes(3);

  @Test
  void backupListRestoreStatusAsSeparateProcesses() {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      PgTables.create(pg, "app");
      pg.createDatabase("restored");
      home.postgres("app", pg.url("app"), pg.password()).writeConfig();
      Path targetPassword = home.writeSecret("target-password", pg.password());

      try (DevServer dev = DevServer.start(home.config())) {
        String address = dev.address();
        CliResult backup = lifeboat("backup", "run", "app", "--wait", "--address", address);
        assertEquals(ExitCodes.OK, backup.exit(), backup + dev.output());
        assertTrue(backup.out().contains(", verified"), backup.toString());
        String backupWorkflow = Outputs.workflowId(backup);
        String backupId = backup.out().lines().filter(l -> l.startsWith("backup ")).findFirst()
            .orElseThrow(() -> new AssertionError(backup.toString())).split("[ :]")[1];

        CliResult list = lifeboat("backup", "list", "app", "--address", address);
        assertEquals(ExitCodes.OK, list.exit(), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(backupId) && l.contains("postgres")
            && l.contains(" yes ")), list.toString());

        CliResult restore = lifeboat("restore", "app", "--to", pg.url("restored"),
            "--to-password", "file:" + targetPassword, "--wait", "--address", address);
        assertEquals(ExitCodes.OK, restore.exit(), restore + dev.output());
        assertTrue(restore.out().contains("restored " + backupId), restore.toString());
        assertEquals(PgTables.rowCounts(pg, "app"), PgTables.rowCounts(pg, "restored"));

        CliResult status = lifeboat("status", backupWorkflow, "--address", address);
        assertEquals(ExitCodes.OK, status.exit(), status.toString());
        assertTrue(status.out().contains("completed"), status.toString());
        for (String step : List.of("prepare", "dump-to-repository", "verify", "publish-manifest")) {
          assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith(step + " ") && l.contains(" ok ")),
              step + " ok in:\n" + status);
        }
        CliResult restoreStatus = lifeboat("status", Outputs.workflowId(restore), "--address", address);
        assertEquals(ExitCodes.OK, restoreStatus.exit(), restoreStatus.toString());
        assertTrue(restoreStatus.out().lines().anyMatch(l -> l.trim().startsWith("restore-into-target ")
            && l.contains(" ok ")), restoreStatus.toString());
      }
    }
  }

  /** A mistyped --address was some sixty lines of gRPC's logged stack, or a thread's uncaught exception. */
  @Test
  void aMistypedTemporalAddressIsOneLineWithACodeAndAHint() {
    CliResult unknownHost = lifeboat("backup", "list", "app", "--address", "nosuchhost.invalid:7233");
    assertEquals(ExitCodes.UNEXPECTED_STATE, unknownHost.exit(), unknownHost.toString());
    assertEquals("lifeboat: cannot reach the Temporal server: Unable to resolve host nosuchhost.invalid"
        + " [TEMPORAL_UNREACHABLE] HINT: check the host name in --address (or LIFEBOAT_ADDRESS)",
        unknownHost.err().strip(), unknownHost.toString());

    for (String bad : List.of("localhost:99999", "localhost", "temporal.example.com:72x3")) {
      CliResult r = lifeboat("backup", "list", "app", "--address", bad);
      assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.toString());
      assertTrue(r.err().startsWith("lifeboat: --address '" + bad + "' is not host:port"), r.toString());
      assertTrue(r.err().contains(" [ADDRESS_INVALID] HINT: "), r.toString());
    }
  }

  private static CliResult lifeboat(String... args) {
    return CliProcess.run(COMMAND, args);
  }
}
