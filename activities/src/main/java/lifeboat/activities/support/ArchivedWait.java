package lifeboat.activities.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * A PITR drill's await-archived: polls until the archive (WAL or binlog) holds the canaries' position, heartbeating,
 * for up to ten minutes. The seconds it took are the drill's recovery point.
 */
public final class ArchivedWait {
  static final Duration LIMIT = Duration.ofMinutes(10);

  private ArchivedWait() {}

  /** @param what "the WAL archive of app did not store 0/3000148" */
  public static double until(BooleanSupplier archived, Runnable heartbeat, String database, String what) {
    long start = System.nanoTime();
    long deadline = start + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (archived.getAsBoolean()) {
        return (System.nanoTime() - start) / 1e9;
      }
      heartbeat.run();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new LifeboatException(ErrorCode.RECOVERY_TARGET_UNREACHABLE, what + " within " + LIMIT.toMinutes()
        + " minutes", "is it running? `lifeboat wal status " + database + "`");
  }
}
