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
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.support.StagingFolders;
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
    Path staging;
    try {
      staging = StagingFolders.create(stagingRoot, STAGING_PREFIX);
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "cannot make a staging folder in " + stagingRoot + ": "
          + e.getMessage(), "DuckDB exports to a folder first: give the worker a writable java.io.tmpdir", e);
    }
    try {
      Path export = staging.resolve(ExportTar.TOP);
      try (Statement s = c.createStatement()) {
        s.execute("EXPORT DATABASE '" + export.toString().replace("'", "''") + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
      }
      DuckDbExport dump = new DuckDbExport(staging, export, StagingFolders.sizeOf(export));
      dump.writer.start();
      return dump;
    } catch (SQLException e) {
      StagingFolders.deleteTree(staging);
      throw new LifeboatException(ErrorCode.DUMP_FAILED, "EXPORT DATABASE of " + database + " failed: "
          + e.getMessage(), "check free space in " + stagingRoot + " (the export is staged there)", e);
    } catch (IOException | RuntimeException e) {
      StagingFolders.deleteTree(staging);
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
    StagingFolders.deleteTree(staging);
  }
}
