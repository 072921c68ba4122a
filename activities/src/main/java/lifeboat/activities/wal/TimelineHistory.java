package lifeboat.activities.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A timeline's history file ({@code 00000003.history}: one line per ancestor, "parent-timeline switch-LSN
 * reason"), read for one question: under which timeline's name each segment is stored. PostgreSQL looks a
 * segment up under the newest timeline that began in or before it (XLogFileReadAnyTLI), so the segment holding
 * a switch point carries the new timeline's name.
 */
public record TimelineHistory(int current, List<Switch> switches) {

  /** Timeline {@code timeline} ended at {@code lsn}, where its child began. */
  public record Switch(int timeline, long lsn) {}

  public static TimelineHistory none(int current) {
    return new TimelineHistory(current, List.of());
  }

  public static TimelineHistory parse(int current, byte[] content) {
    List<Switch> switches = new ArrayList<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      switches.add(new Switch(Integer.parseInt(fields[0]), WalNames.parseLsn(fields[1])));
    }
    return new TimelineHistory(current, List.copyOf(switches));
  }

  /** Where {@code timeline} ended, if it is an ancestor of the current one; null for the current one or a stranger. */
  public Long endOf(int timeline) {
    if (timeline == current) {
      return null;
    }
    return switches.stream().filter(s -> s.timeline() == timeline).map(Switch::lsn).findFirst().orElse(null);
  }

  /** The history as {@code timeline} saw it when it was current: the switches before it. */
  public TimelineHistory upTo(int timeline) {
    return new TimelineHistory(timeline, switches.stream().filter(s -> s.timeline() < timeline).toList());
  }

  /** The timeline whose name the segment holding {@code lsn} goes under. */
  public int timelineOf(long lsn, long segmentSize) {
    long segment = lsn / segmentSize;
    for (int i = switches.size() - 1; i >= 0; i--) {
      int child = i == switches.size() - 1 ? current : switches.get(i + 1).timeline();
      if (segment >= switches.get(i).lsn() / segmentSize) {
        return child;
      }
    }
    return switches.isEmpty() ? current : switches.get(0).timeline();
  }
}
