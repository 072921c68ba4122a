package lifeboat.cli.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import lifeboat.activities.testing.ArchiveCommandSetup;
import lifeboat.cli.ExitCodes;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.workflows.model.WalArchiver;
import lifeboat.workflows.model.WalStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `wal archive-command` prints the very archive_command WalReceiverTest runs against a real cluster, the token
 * only by its variable's name; and `wal status` in archive_command mode shows the archiver, not a slot.
 */
class WalArchiveCommandTest {
  @TempDir Path dir;

  private Path config() throws Exception {
    return Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        databases:
          app:
            engine: postgres
            url: postgresql://postgres@db.example:5432/app
            repository: local
            encryption: none
            wal: { archive: command, listen: "10.0.0.5:7391", token: env:APP_WAL_TOKEN }
          all:
            engine: postgres
            url: postgresql://postgres@db.example:5432/all
            repository: local
            encryption: none
            wal: { archive: command, listen: "0.0.0.0:7391", token: file:wal-token }
          streamed:
            engine: postgres
            url: postgresql://postgres@db.example:5432/streamed
            repository: local
            encryption: none
            wal: { archive: stream }
        """);
  }

  @Test
  void printsTheArchiveCommandAndHowToWriteTheHeaderFile() throws Exception {
    CliResult r = InProcessCli.run("wal", "archive-command", "app", "--config", config().toString());
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("archive_mode = on"), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("archive_timeout = 60s")), r.out());
    String expected = ArchiveCommandSetup.command(Path.of("/etc/lifeboat/wal-token.header"), 7391, "app")
        .replace("127.0.0.1", "10.0.0.5");
    assertTrue(lines.contains("archive_command = '" + expected + "'"), r.out());
    assertTrue(r.out().contains("printf 'Authorization: Bearer %s\\n' \"$APP_WAL_TOKEN\" >"
        + " /etc/lifeboat/wal-token.header"), r.out());

    CliResult all = InProcessCli.run("wal", "archive-command", "all", "--host", "worker.internal", "--header-file",
        "/var/lib/postgresql/wal.header", "--config", config().toString());
    assertEquals(ExitCodes.OK, all.exit(), all.toString());
    assertTrue(all.out().contains("-H @/var/lib/postgresql/wal.header -T %p http://worker.internal:7391/wal/all/%f'"),
        all.out());
    assertTrue(all.out().contains("the content of wal-token"), all.out());
  }

  @Test
  void aDatabaseUnknownOrNotInCommandModeIsInvalidInput() throws Exception {
    String cfg = config().toString();
    for (String[] args : List.of(new String[] {"nosuch"}, new String[] {"streamed"}, new String[] {"all"},
        new String[] {"app", "--host", "a b"})) {
      String[] line = new String[args.length + 4];
      line[0] = "wal";
      line[1] = "archive-command";
      System.arraycopy(args, 0, line, 2, args.length);
      line[args.length + 2] = "--config";
      line[args.length + 3] = cfg;
      CliResult r = InProcessCli.run(line);
      assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
      assertEquals("", r.out(), r.toString());
      assertTrue(r.err().contains("HINT") || r.err().contains("--host"), r.toString());
    }
  }

  @Test
  void statusInCommandModeShowsTheArchiverAndAFailingPushFirst() {
    WalStatus s = new WalStatus("app", null, 1, "000000010000000000000001", 0L, "000000010000000000000009", 9,
        List.of(), "0/A000000", 0L, "0/B000100", 16L << 20, 700L, null, null, null, 300, 1 << 30, null,
        new WalArchiver(9L, "000000010000000000000009", 1_000L, 4L, "00000001000000000000000A", 2_000L), null,
        List.of());
    StringWriter text = new StringWriter();
    WalStatusText.print(new WalStatusCommand.Archiving("wal-archive-app", "running", List.of()), s, Instant.now(),
        new PrintWriter(text, true));
    String out = text.toString();
    assertTrue(out.contains("slot:       none (archive_command mode"), out);
    assertTrue(out.contains("failing:    archive_command failed 4 time(s), last for 00000001000000000000000A"
        + " 1970-01-01T00:00:02Z; the error is in the server's log"), out);
    assertFalse(out.contains("is not on the server"), out);
  }

  /** A MariaDB binlog archive's status reads in files, with no slot line that would send anyone looking for one. */
  @Test
  void aBinlogArchivesStatusIsPrintedInFiles() {
    WalStatus s = new WalStatus("shop", null, 0, "binlog.000001", null, "binlog.000003", 3, List.of("binlog.000002"),
        "binlog.000004:1551", 1_000L, "binlog.000004:1551", 0L, 0L, null, null, null, 300, 0, null, null, null,
        List.of());
    StringWriter text = new StringWriter();
    WalStatusText.print(new WalStatusCommand.Archiving("wal-archive-shop", "running", List.of()), s, Instant.now(),
        new PrintWriter(text, true));
    String out = text.toString();
    assertTrue(out.contains("archived:   3 whole binlog file(s) from binlog.000001 to binlog.000003"), out);
    assertTrue(out.contains("up to:      binlog.000004:1551, its newest event 1970-01-01T00:00:01Z"), out);
    assertTrue(out.contains("server:     at binlog.000004:1551; lag 0 B, 0 s (limit 300 s)"), out);
    assertTrue(out.contains("gaps:       1 missing binlog file(s): binlog.000002"), out);
    assertFalse(out.contains("timeline"), out);
    assertFalse(out.contains("is not on the server"), out);
  }
}
