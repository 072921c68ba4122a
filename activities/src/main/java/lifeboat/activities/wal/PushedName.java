package lifeboat.activities.wal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file name PostgreSQL's archive_command passes as {@code %f}, as the WAL receiver accepts it: a bare name of
 * one of the four kinds the archiver sends, nothing else (no path, no dot-dot, no lowercase look-alike).
 *
 * @param kind    what the file is
 * @param name    the file name as PostgreSQL wrote it
 * @param segment for a segment or a {@code .partial}: the segment's 24-digit name; else null
 */
record PushedName(Kind kind, String name, String segment) {
  enum Kind {
    /** A full segment, {@code TTTTTTTTXXXXXXXXYYYYYYYY}. */
    SEGMENT,
    /** The old timeline's last segment at a promotion, {@code <segment>.partial}: a whole-size file. */
    PARTIAL,
    /** A timeline's history, {@code TTTTTTTT.history}. */
    HISTORY,
    /** A backup history file, {@code <segment>.XXXXXXXX.backup}, written when a base backup ends. */
    BACKUP
  }

  private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
  private static final Pattern BACKUP_SUFFIX = Pattern.compile("\\.[0-9A-F]{8}\\.backup");

  /** What {@code name} is, or empty when it is no WAL file name PostgreSQL archives. */
  static Optional<PushedName> of(String name) {
    if (WalNames.isSegmentName(name)) {
      return Optional.of(new PushedName(Kind.SEGMENT, name, name));
    }
    if (HISTORY.matcher(name).matches()) {
      return Optional.of(new PushedName(Kind.HISTORY, name, null));
    }
    String segment = name.length() > 24 ? name.substring(0, 24) : "";
    if (!WalNames.isSegmentName(segment)) {
      return Optional.empty();
    }
    String suffix = name.substring(24);
    if (suffix.equals(".partial")) {
      return Optional.of(new PushedName(Kind.PARTIAL, name, segment));
    }
    if (BACKUP_SUFFIX.matcher(suffix).matches()) {
      return Optional.of(new PushedName(Kind.BACKUP, name, null));
    }
    return Optional.empty();
  }

  /** Whether its content is one whole segment (wal_segment_size bytes). */
  boolean segmentSized() {
    return kind == Kind.SEGMENT || kind == Kind.PARTIAL;
  }
}
