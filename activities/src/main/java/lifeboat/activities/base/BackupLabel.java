package lifeboat.activities.base;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** A base backup's backup_label: where its WAL starts, on which timeline, in which segment. */
record BackupLabel(String startLsn, String startSegment, int timeline) {
  private static final Pattern START = Pattern.compile("START WAL LOCATION: (\\S+) \\(file (\\S+)\\)");
  private static final Pattern TIMELINE = Pattern.compile("START TIMELINE: (\\d+)");

  static BackupLabel parse(byte[] content) {
    String text = content == null ? "" : new String(content, StandardCharsets.UTF_8);
    Matcher start = START.matcher(text);
    Matcher timeline = TIMELINE.matcher(text);
    if (!start.find() || !timeline.find()) {
      throw new LifeboatException(ErrorCode.CORRUPT_BACKUP, "the base backup has no readable backup_label",
          "take the base backup again");
    }
    return new BackupLabel(start.group(1), start.group(2), Integer.parseInt(timeline.group(1)));
  }
}
