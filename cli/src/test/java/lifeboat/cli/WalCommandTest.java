package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lifeboat.activities.testing.PgCluster;
import lifeboat.cli.testing.CliResult;
import lifeboat.cli.testing.InProcessCli;
import lifeboat.cli.testing.LifeboatHome;
import lifeboat.cli.testing.LocalStack;
import lifeboat.cli.testing.Outputs;
import org.junit.jupiter.api.Test;

/**
 * `lifeboat wal start | status | stop` on a real cluster and a worker: the archive fills as the server writes,
 * each stored segment opens with gpg and zstd into the server's own file, and a stop ends the workflow.
 */
class WalCommandTest {

  @Test
  void startArchivesEverySegmentOpenableWithGpgAndStatusAndStopTellTheTruth() throws Exception {
    try (PgCluster pg = PgCluster.start(); LifeboatHome home = LifeboatHome.create()) {
      pg.createDatabase("app");
      pg.exec("app", "CREATE TABLE t(id serial PRIMARY KEY, note text)");
      home.postgresWithWal("app", pg.url("app"), pg.password(), "{ archive: stream, partialEvery: 1s }")
          .writeConfig();
      try (LocalStack stack = LocalStack.withWorker(home.config())) {
        CliResult notYet = wal(stack, home, "status", "app");
        assertEquals(ExitCodes.UNEXPECTED_STATE, notYet.exit(), notYet.toString());
        assertTrue(notYet.out().contains("archiving:  not-started"), notYet.toString());
        assertTrue(notYet.out().contains("start it with: lifeboat wal start app"), notYet.toString());

        CliResult checkBefore = check(stack, home);
        assertTrue(checkBefore.out().contains("\"wal-lag\"") && checkBefore.out().contains("\"wal-slot\""),
            "not archiving yet: lag and slot alarms\n" + checkBefore);

        CliResult started = wal(stack, home, "start", "app");
        assertEquals(ExitCodes.OK, started.exit(), started.toString());
        assertTrue(started.out().contains("started WAL archiving of app: workflow wal-archive-app"), started.toString());
        CliResult again = wal(stack, home, "start", "app");
        assertTrue(again.out().contains("already runs"), again.toString());

        for (int i = 0; i < 2; i++) {
          pg.exec("app", "INSERT INTO t(note) SELECT md5(g::text) FROM generate_series(1, 2000) g;"
              + " SELECT pg_switch_wal();");
        }
        JsonNode status = awaitSegments(stack, home, 2);
        assertEquals("running", status.get("archiving").get("state").asText(), status.toPrettyString());
        JsonNode archive = status.get("archive");
        assertEquals(0, archive.get("gaps").size(), archive.toPrettyString());
        assertTrue(archive.get("slotActive").asBoolean(), archive.toPrettyString());

        CliResult checkDuring = check(stack, home);
        assertTrue(!checkDuring.out().contains("\"wal-") && checkDuring.out().contains("\"no-backup\""),
            "archiving: no WAL alarm (the backup alarm stays)\n" + checkDuring);

        CliResult text = wal(stack, home, "status", "app");
        assertEquals(ExitCodes.OK, text.exit(), text.toString());
        assertTrue(text.out().contains("archiving:  running (workflow wal-archive-app)"), text.toString());
        assertTrue(text.out().contains("gaps:       none"), text.toString());
        assertTrue(text.out().contains("slot:       lifeboat_app streaming"), text.toString());

        List<Path> segments;
        try (var files = Files.walk(home.repository().resolve("wal/app"))) {
          segments = files.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}-[0-9a-f]{64}\\.zst\\.pgp"))
              .toList();
        }
        assertTrue(segments.size() >= 2, segments.toString());
        Path first = segments.get(0);
        String name = first.getFileName().toString().substring(0, 24);
        assertArrayEquals(Files.readAllBytes(pg.dataDir().resolve("pg_wal").resolve(name)), gpgZstd(home, first),
            "gpg -d | zstd -d gives the server's own segment " + name);

        // A point-in-time restore through the CLI: base backup, a moment between two writes, restore to it.
        CliResult base = InProcessCli.run("backup", "run", "app", "--type", "base", "--wait", "--address",
            stack.address(), "--config", home.config().toString());
        assertEquals(ExitCodes.OK, base.exit(), base.toString());
        pg.exec("app", "INSERT INTO t(note) VALUES ('before the moment')");
        Thread.sleep(1100);
        String moment = java.time.Instant.now().toString();
        Thread.sleep(1100);
        pg.exec("app", "INSERT INTO t(note) VALUES ('after the moment')");
        awaitArchivedThrough(stack, home, pg.exec("app", "SELECT pg_current_wal_lsn()"));
        CliResult list = InProcessCli.run("backup", "list", "app", "--address", stack.address());
        assertTrue(list.out().lines().anyMatch(l -> l.contains(" base ")), "listed as a base backup:\n" + list);
        Path restores = Files.createTempDirectory(Path.of("/tmp"), "lb-cli-pitr-",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        int port = lifeboat.activities.postgres.LocalCluster.freePort();
        Path target = restores.resolve("app");
        try {
          CliResult pitr = InProcessCli.run("restore", "app", "--to-dir", target.toString(), "--port", "" + port,
              "--to-time", moment, "--wait", "--address", stack.address(), "--config", home.config().toString());
          assertEquals(ExitCodes.OK, pitr.exit(), pitr.toString());
          assertTrue(pitr.out().contains("recovery stopping before commit of transaction"), pitr.toString());
          assertTrue(pitr.out().contains("the server runs on 127.0.0.1:" + port), pitr.toString());
          try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/app",
                   "postgres", pg.password());
               var rs = c.createStatement().executeQuery("SELECT count(*) FILTER (WHERE note = 'before the moment'),"
                   + " count(*) FILTER (WHERE note = 'after the moment') FROM t")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the row written before the moment");
            assertEquals(0, rs.getInt(2), "none written after it");
          }
        } finally {
          new lifeboat.activities.postgres.LocalCluster(target, lifeboat.activities.errors.ErrorCode.RESTORE_FAILED)
              .stop("immediate", () -> { });
          lifeboat.activities.postgres.LocalCluster.deleteTree(restores);
        }

        CliResult stopped = wal(stack, home, "stop", "app");
        assertEquals(ExitCodes.OK, stopped.exit(), stopped.toString());
        CliResult after = wal(stack, home, "status", "app");
        assertEquals(ExitCodes.UNEXPECTED_STATE, after.exit(), "not running any more: " + after);
        assertTrue(after.out().contains("archiving:  completed"), after.toString());
        assertTrue(after.out().contains("slot:       lifeboat_app idle"), after.toString());
      }
    }
  }

  private static CliResult wal(LocalStack stack, LifeboatHome home, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("wal"));
    all.addAll(List.of(args));
    all.addAll(List.of("--address", stack.address(), "--config", home.config().toString()));
    return InProcessCli.run(all.toArray(String[]::new));
  }

  private static void awaitArchivedThrough(LocalStack stack, LifeboatHome home, String lsn) throws Exception {
    long want = lifeboat.activities.wal.WalNames.parseLsn(lsn);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      JsonNode archive = Outputs.json(wal(stack, home, "status", "app", "--json")).get("archive");
      if (!archive.get("archivedLsn").isNull()
          && lifeboat.activities.wal.WalNames.parseLsn(archive.get("archivedLsn").asText()) >= want) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the archive never reached " + lsn);
  }

  private static CliResult check(LocalStack stack, LifeboatHome home) {
    return InProcessCli.run("check", "app", "--json", "--address", stack.address(), "--config",
        home.config().toString());
  }

  private static JsonNode awaitSegments(LocalStack stack, LifeboatHome home, int segments) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = Outputs.json(wal(stack, home, "status", "app", "--json"));
      if (last.get("archive").get("segments").asInt() >= segments) {
        return last;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("never " + segments + " segments: " + last);
  }

  /** The object through the standard tools: gpg (with the home's key) and zstd. */
  private static byte[] gpgZstd(LifeboatHome home, Path object) throws Exception {
    Path gnupg = Files.createTempDirectory(Path.of("/tmp"), "lb-gpg-");
    try {
      Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      String gpg = "gpg --homedir " + gnupg + " --batch --pinentry-mode loopback --passphrase " + home.passphrase();
      Process p = new ProcessBuilder("sh", "-c", gpg + " --import " + home.secretKey() + " 2>/dev/null && "
          + gpg + " -d " + object + " 2>/dev/null | zstd -dc").start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      return out;
    } finally {
      new ProcessBuilder("gpgconf", "--homedir", gnupg.toString(), "--kill", "gpg-agent").start().waitFor();
      try (var all = Files.walk(gnupg)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
