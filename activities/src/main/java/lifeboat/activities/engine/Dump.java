package lifeboat.activities.engine;

import java.io.InputStream;

/** A running dump: read {@link #stream()} to its end, then {@link #finish()} to learn whether it succeeded. */
public interface Dump extends AutoCloseable {

  /** The native dump bytes (pg_dump -Fc -Z0 output, or a SQLite database file). */
  InputStream stream();

  /**
   * Waits for the dump tool and checks its exit status and error output. Throws
   * {@link lifeboat.activities.errors.LifeboatException} with DUMP_FAILED (or a more precise code) when the
   * tool failed, even if the stream ended normally: a shell pipeline without pipefail misses exactly this.
   */
  void finish();

  /**
   * MariaDB: how the dump was made consistent and its binlog position, known once {@link #finish()} returned;
   * null for the other engines.
   */
  default lifeboat.workflows.model.DumpSnapshot snapshot() {
    return null;
  }

  /** Stops the tool if it is still running and releases temp files. Safe after finish. */
  @Override
  void close();
}
