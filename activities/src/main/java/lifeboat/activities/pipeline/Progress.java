package lifeboat.activities.pipeline;

import java.util.function.LongConsumer;

/**
 * Byte progress of a long step, reported at most every {@code intervalMillis}. The activity passes its
 * heartbeat here, so a dead worker is noticed within the heartbeat timeout and `lifeboat status` shows bytes.
 */
public final class Progress {
  private final LongConsumer report;
  private final long intervalMillis;
  private long last;
  private long bytes;

  public Progress(LongConsumer report, long intervalMillis) {
    this.report = report;
    this.intervalMillis = intervalMillis;
  }

  public static Progress none() {
    return new Progress(b -> { }, Long.MAX_VALUE);
  }

  public void add(long n) {
    bytes += n;
    long now = System.currentTimeMillis();
    if (now - last >= intervalMillis) {
      last = now;
      report.accept(bytes);
    }
  }

  public long bytes() {
    return bytes;
  }
}
