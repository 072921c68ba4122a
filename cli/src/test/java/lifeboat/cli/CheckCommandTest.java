package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import lifeboat.activities.testing.SqliteFiles;
import lifeboat.worker.EmbeddedTemporal;
import lifeboat.worker.WorkerHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `lifeboat check` in-process against an embedded server and a real worker: exit 1 on alarm, 0 when fine. */
class CheckCommandTest {
  @TempDir Path dir;
  private EmbeddedTemporal server;
  private Temporal connection;
  private WorkerHost worker;

  @BeforeEach
  void start() throws Exception {
    SqliteFiles.sample(dir.resolve("notes.db"), 200);
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: ./repo }
        databases:
          notes: { engine: sqlite, path: ./notes.db, repository: local, encryption: none }
        """);
    server = EmbeddedTemporal.start(freePort());
    connection = Temporal.local(server.address());
    worker = WorkerHost.start(connection.service(), "default", dir.resolve("lifeboat.yaml"));
  }

  @AfterEach
  void stop() {
    worker.close();
    connection.close();
    server.close();
  }

  private record Run(int code, String out, String err) {
    String context() {
      return "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** `lifeboat ARGS --address` the embedded server. */
  private Run lifeboat(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--address";
    all[args.length + 1] = server.address();
    return run(all);
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void exitsOneOnAlarmAndZeroOnceThereIsAFreshBackup() throws Exception {
    Run noBackup = lifeboat("check");
    assertEquals(ExitCodes.ALARM, noBackup.code(), noBackup.context());
    assertTrue(noBackup.out().startsWith("LIFEBOAT ALARM: 1 of 1: notes (no-backup)"), noBackup.context());
    assertTrue(noBackup.out().contains("ALARM  notes: no-backup: no verified backup of notes"), noBackup.context());
    assertTrue(noBackup.out().contains("alert: no webhook configured"), noBackup.context());

    Run backup = lifeboat("backup", "run", "notes", "--wait");
    assertEquals(ExitCodes.OK, backup.code(), backup.context());

    Run fine = lifeboat("check", "notes", "--max-age", "1h", "--size-change", "10");
    assertEquals(ExitCodes.OK, fine.code(), fine.context());
    assertTrue(fine.out().startsWith("LIFEBOAT OK: 1 database checked"), fine.context());
    assertTrue(fine.out().contains("OK     notes: newest "), fine.context());

    Thread.sleep(1_500);
    Run stale = lifeboat("check", "--max-age", "1s", "--json");
    assertEquals(ExitCodes.ALARM, stale.code(), stale.context());
    JsonNode result = new ObjectMapper().readTree(stale.out());
    assertEquals("stale", result.at("/databases/0/alarms/0/kind").asText(), stale.context());
  }

  @Test
  void badLimitsAreInvalidInputAndStartNothing() {
    Run badAge = lifeboat("check", "--max-age", "soon");
    assertEquals(ExitCodes.INVALID_INPUT, badAge.code(), badAge.context());
    assertTrue(badAge.err().contains("not a duration: 'soon'"), badAge.context());
    Run badName = lifeboat("check", "../etc");
    assertEquals(ExitCodes.INVALID_INPUT, badName.code(), badName.context());
  }

  @Test
  void anUnreachableServerIsUnknownNotAnAlarm() throws Exception {
    Run unreachable = run("check", "--address", "127.0.0.1:" + freePort());
    assertEquals(ExitCodes.UNEXPECTED_STATE, unreachable.code(), unreachable.context());
    assertTrue(unreachable.out().startsWith("LIFEBOAT UNKNOWN: cannot reach the Temporal server"),
        unreachable.context());
  }
}
