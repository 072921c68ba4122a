package lifeboat.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** A moment given on the command line, with its offset: ISO-8601 or PostgreSQL's "2026-12-01 14:32:07+00". */
final class Moments {
  private static final DateTimeFormatter SPACED = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .optionalEnd().appendOffset("+HH:mm", "Z").toFormatter();
  private static final DateTimeFormatter SPACED_SHORT = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .optionalEnd().appendOffset("+HH", "Z").toFormatter();

  private Moments() {}

  static Instant parse(String text, String option) {
    for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.ISO_OFFSET_DATE_TIME, SPACED,
        SPACED_SHORT}) {
      try {
        return OffsetDateTime.parse(text.trim(), f).toInstant();
      } catch (DateTimeParseException ignored) {
        // the next form
      }
    }
    throw new IllegalArgumentException(option + " " + text + " is not a moment with an offset: give e.g."
        + " 2026-12-01T14:32:07Z or '2026-12-01 14:32:07+00'");
  }
}
