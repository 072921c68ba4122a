package lifeboat.activities.wal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's WAL file names: a segment is {@code TTTTTTTTXXXXXXXXYYYYYYYY} (timeline, then the segment number
 * split in "log" and "seg" parts, 8 hex digits each), a timeline's history is {@code TTTTTTTT.history}. The
 * split depends on the server's wal_segment_size: {@code 0x100000000 / size} segments per "log".
 */
public final class WalNames {
  private static final Pattern SEGMENT = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");

  private WalNames() {}

  /** A segment: its timeline and number (LSN / segment size). */
  public record Segment(int timeline, long number) implements Comparable<Segment> {
    public String name(long segmentSize) {
      long perLog = 0x100000000L / segmentSize;
      return String.format("%08X%08X%08X", timeline, number / perLog, number % perLog);
    }

    public long startLsn(long segmentSize) {
      return number * segmentSize;
    }

    public Segment next() {
      return new Segment(timeline, number + 1);
    }

    @Override
    public int compareTo(Segment o) {
      int byTimeline = Integer.compare(timeline, o.timeline);
      return byTimeline != 0 ? byTimeline : Long.compare(number, o.number);
    }
  }

  /** The segment holding {@code lsn} on {@code timeline}. */
  public static Segment segmentOf(int timeline, long lsn, long segmentSize) {
    return new Segment(timeline, lsn / segmentSize);
  }

  /** The segment a 24-hex-digit name stands for; IllegalArgumentException for anything else. */
  public static Segment parse(String name, long segmentSize) {
    Matcher m = SEGMENT.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a WAL segment name: " + name);
    }
    long perLog = 0x100000000L / segmentSize;
    return new Segment(Integer.parseUnsignedInt(m.group(1), 16),
        Long.parseLong(m.group(2), 16) * perLog + Long.parseLong(m.group(3), 16));
  }

  public static boolean isSegmentName(String name) {
    return SEGMENT.matcher(name).matches();
  }

  public static String historyName(int timeline) {
    return String.format("%08X.history", timeline);
  }

  /** An LSN as PostgreSQL prints it: {@code 16/B374D848}. */
  public static String lsn(long lsn) {
    return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
  }

  /** Parses {@code 16/B374D848}; IllegalArgumentException for anything else. */
  public static long parseLsn(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException("not an LSN: " + text + " (write it as PostgreSQL does: 16/B374D848)");
    }
    try {
      return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an LSN: " + text + " (write it as PostgreSQL does: 16/B374D848)");
    }
  }
}
