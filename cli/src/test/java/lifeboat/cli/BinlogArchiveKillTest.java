package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lifeboat.activities.testing.MariaDbServer;
import lifeboat.cli.testing.CliProcess;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.WorkflowRuns;
import lifeboat.cli.testing.Workers;
import lifeboat.workflows.model.RestoreRequest;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.restore.RestoreWorkflow;
import lifeboat.workflows.wal.WalStatusWorkflow;
import org.junit.jupiter.api.Test;

/**
 * A MariaDB binlog archive whose worker is SIGKILLed while writes and rotations go on, on the real Temporal
 * server. The replacement worker's StreamWal attempt (after the heartbeat timeout) resumes where the archive
 * ends. The killed worker's mariadb-binlog does not outlive it (its ParentWatch ends it when the JVM's pipe
 * closes). The archive catches up with no gap, and a restore to now has every row.
 */
class BinlogArchiveKillTest {
  @Test
  void aWorkerKilledWhileItArchivesIsReplacedAndTheArchiveHasNoGap() throws Exception {
    try (MariaDbServer maria = MariaDbServer.start(); LifeboatHome home = LifeboatHome.create();
         LocalStack stack = LocalStack.serverOnly(LocalStack.Server.REAL)) {
      maria.createDatabase("shop");
      maria.createDatabase("shop_now");
      maria.exec("shop", "CREATE TABLE orders(id int PRIMARY KEY, note varchar(100)) ENGINE=InnoDB");
      Path password = home.writeSecret("maria-password", maria.password());
      home.database("shop", "{ engine: mariadb, url: \"" + maria.url("shop") + "\", password: \"file:"
          + password.getFileName() + "\", repository: local, wal: { partialEvery: 1s } }").writeConfig();
      WorkflowClient client = stack.client();
      CliProcess first = Workers.start(stack, home);
      CliProcess second = null;
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger rows = new AtomicInteger();
      Thread writer = new Thread(() -> {
        while (writing.get()) {
          int n = rows.incrementAndGet();
          maria.exec("shop", "INSERT INTO orders VALUES (" + n + ", 'order " + n + "')");
          if (n % 20 == 0) {
            maria.exec(null, "FLUSH BINARY LOGS");
          }
          sleep(50);
        }
      }, "orders");
      try {
        WorkflowRuns.backupResult(client, WorkflowRuns.startBackup(client, "shop"), Duration.ofMinutes(2));
        var started = InProcessCli.run("wal", "start", "shop", "--address", stack.address(), "--config",
            home.config().toString());
        assertEquals(ExitCodes.OK, started.exit(), started.toString());
        writer.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (home.repositoryFiles(".full.").size() < 2 && System.nanoTime() < deadline) {
          assertTrue(first.process().isAlive(), "worker died:\n" + first.output());
          Thread.sleep(100);
        }
        assertTrue(home.repositoryFiles(".full.").size() >= 2, "the archive stores rotated files");
        List<Long> orphans = binlogReaders(first);
        assertEquals(1, orphans.size(), "the killed worker's mariadb-binlog: " + orphans);
        first.kill();
        assertFalse(first.process().isAlive(), "the first worker is gone");
        Thread.sleep(3000); // writes and rotations go on while no worker archives

        second = Workers.start(stack, home);
        Thread.sleep(3000);
        writing.set(false);
        writer.join();
        WalStatus status = null;
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
          status = client.newWorkflowStub(WalStatusWorkflow.class, Temporal.start(WorkflowIds.next("wal-status",
              "shop"))).status("shop");
          if (Long.valueOf(0).equals(status.lagBytes())) {
            break;
          }
          Thread.sleep(500);
        }
        assertEquals(0L, status.lagBytes(), "the replacement caught up: " + status + "\n" + second.output());
        assertEquals(status.serverLsn(), status.archivedLsn(), status.toString());
        assertEquals(List.of(), status.gaps(), "no gap across the kill: " + status);
        assertTrue(orphans.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
            "the killed worker's mariadb-binlog ended with it (ParentWatch)");

        // a restore to now, through the binlog the two workers archived
        RestoreRequest now = new RestoreRequest("shop", RestoreRequest.LATEST, maria.url("shop_now"), "file:"
            + password, 1, false, List.of(), false, false, false, false, Instant.now().toString());
        var result = client.newWorkflowStub(RestoreWorkflow.class, Temporal.start(WorkflowIds.next("restore",
            "shop"))).restore(now);
        assertTrue(result.check().contains("replayed"), result.check());
        assertEquals(String.valueOf(rows.get()), maria.exec("shop_now", "SELECT count(*) FROM orders"),
            "every row written before, during and after the kill");
      } finally {
        writing.set(false);
        first.close();
        if (second != null) {
          second.kill();
          second.close();
        }
      }
    }
  }

  /** The mariadb-binlog processes the worker started. */
  private static List<Long> binlogReaders(CliProcess worker) {
    return worker.process().toHandle().descendants().filter(p -> p.info().command().orElse("")
        .endsWith("mariadb-binlog")).map(ProcessHandle::pid).toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
