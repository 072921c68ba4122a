package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import lifeboat.cli.testing.SampleSqlite;
import lifeboat.worker.WorkerHost;
import lifeboat.worker.WorkerMetrics;
import lifeboat.workflows.TaskQueues.Role;
import lifeboat.workflows.model.Verifications;
import org.junit.jupiter.api.Test;

/**
 * A backup worker has the public key only: it checks the stored object's checksum, not the dump inside, and
 * `backup run --wait`, `backup list` and `status` say so instead of a bare "verified".
 */
class ChecksumOnlyVerificationTest {
  @Test
  void aBackupVerifiedByChecksumOnlySaysContentWasNotChecked() throws Exception {
    try (LifeboatHome home = LifeboatHome.create(); LocalStack stack = LocalStack.serverOnly();
         WorkerMetrics metrics = new WorkerMetrics()) {
      home.sqlite("notes", SampleSqlite.create(home.dir().resolve("notes.db"))).writeConfig();
      Path backupOnly = home.writeBackupOnlyConfig();
      try (WorkerHost worker = WorkerHost.start(stack.connection().service(), "default", backupOnly, Role.BACKUP,
          metrics)) {
        CliResult backup = InProcessCli.run("backup", "run", "notes", "--wait", "--address", stack.address());
        assertEquals(ExitCodes.OK, backup.exit(), backup.toString());
        assertTrue(backup.out().contains(", checksum verified; content not checked: no private key on this worker"),
            backup.toString());
        assertFalse(backup.out().contains(", verified"), backup.toString());

        CliResult list = InProcessCli.run("backup", "list", "notes", "--address", stack.address());
        assertEquals(ExitCodes.OK, list.exit(), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.contains(" checksum* ")), list.toString());
        assertTrue(list.out().contains("checksum*: " + Verifications.CHECKSUM_ONLY), list.toString());

        CliResult status = InProcessCli.run("status", Outputs.workflowId(backup), "--address", stack.address());
        assertEquals(ExitCodes.OK, status.exit(), status.toString());
        assertTrue(status.out().contains(Verifications.CHECKSUM_ONLY), status.toString());
      }
    }
  }
}
