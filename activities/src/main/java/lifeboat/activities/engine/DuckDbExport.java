package lifeboat.activities.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.model.DumpSnapshot;

/**
 * A DuckDB backup in progress. DuckDB cannot export to a stream, so this engine stages: EXPORT DATABASE writes
 * the folder (one transaction: a consistent view while writers in the same process go on), then a thread
 * turns it into one tar stream through a pipe. The staging folder is removed on close, whatever happened, and
 * a folder a killed worker left is removed by the next export (its process is gone).
 */
final class DuckDbExport implements Dump {
  static final String STAGING_PREFIX = "lifeboat-duckdb-export-";
  private static final int PIPE_BYTES = 1 << 20;

  private final Path staging;
  private final long stagedBytes;
  private final PipedInputStream in;
  private final Thread writer;
  private volatile Throwable failure;

  private DuckDbExport(Path staging, Path export, long stagedBytes) throws IOException {
    this.staging = staging;
    this.stagedBytes = stagedBytes;
    this.in = new PipedInputStream(PIPE_BYTES);
    PipedOutputStream out = new PipedOutputStream(in);
    this.writer = new Thread(() -> {
      try (out) {
        ExportTar.write(export, out);
      } catch (Throwable t) { // reported by finish(); the reader sees the pipe end early
        failure = t;
      }
    }, "duckdb-export-tar");
    writer.setDaemon(true);
  }

  /**
   * Exports the database seen by {@code c} (read-only) into a staging folder under {@code stagingRoot} and
   * starts streaming it.
   */
  static DuckDbExport start(Connection c, String database, Path stagingRoot) {
    sweepAbandoned(stagingRoot);
    Path staging;
    try {
      Files.createDirectories(stagingRoot);
      staging = Files.createTempDirectory(stagingRoot, STAGING_PREFIX + ProcessHandle.current().pid() + "-");
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "cannot make a staging folder in " + stagingRoot + ": "
          + e.getMessage(), "DuckDB exports to a folder first: give the worker a writable java.io.tmpdir", e);
    }
    try {
      Path export = staging.resolve(ExportTar.TOP);
      try (Statement s = c.createStatement()) {
        s.execute("EXPORT DATABASE '" + export.toString().replace("'", "''") + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
      }
      DuckDbExport dump = new DuckDbExport(staging, export, sizeOf(export));
      dump.writer.start();
      return dump;
    } catch (SQLException e) {
      deleteTree(staging);
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "EXPORT DATABASE of " + database + " failed: "
          + e.getMessage(), "check free space in " + stagingRoot + " (the export is staged there)", e);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  @Override
  public InputStream stream() {
    return in;
  }

  @Override
  public void finish() {
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "interrupted while streaming the export", "retried");
    }
    if (failure != null) {
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "streaming the DuckDB export failed: " + failure,
          "check the worker's temp folder (the export is staged there)");
    }
  }

  @Override
  public DumpSnapshot snapshot() {
    return DumpSnapshot.staged("export-database", stagedBytes);
  }

  @Override
  public void close() {
    try {
      in.close(); // a writer still blocked on a full pipe fails and ends
    } catch (IOException ignored) {
      // closing a pipe
    }
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(staging);
  }

  /** Staging folders of worker processes that are gone (killed mid-backup): nobody else will remove them. */
  static void sweepAbandoned(Path stagingRoot) {
    if (!Files.isDirectory(stagingRoot)) {
      return;
    }
    try (Stream<Path> all = Files.list(stagingRoot)) {
      all.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).filter(DuckDbExport::ownerGone)
          .forEach(DuckDbExport::deleteTree);
    } catch (IOException ignored) {
      // best effort: the next export tries again
    }
  }

  private static boolean ownerGone(Path staging) {
    String rest = staging.getFileName().toString().substring(STAGING_PREFIX.length());
    int dash = rest.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false; // not named by us: left alone
    }
  }

  static long sizeOf(Path folder) throws IOException {
    try (Stream<Path> all = Files.walk(folder)) {
      long total = 0;
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // what cannot be removed now is removed by the next sweep
        }
      });
    } catch (IOException ignored) {
      // same
    }
  }
}
