package lifeboat.activities.pitr;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** PostgreSQL's timestamptz text ({@code 2026-12-01 14:32:07.123456+00}) as ISO-8601 UTC. */
final class RecoveryTimes {
  private static final DateTimeFormatter PG_TIMESTAMPTZ = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .optionalEnd().appendPattern("[XXX][XX][X]").toFormatter();

  private RecoveryTimes() {}

  static String iso(String timestamptz) {
    return instant(timestamptz).toString();
  }

  /** The instant of PostgreSQL's text form; DateTimeParseException for anything else. */
  static java.time.Instant instant(String timestamptz) {
    return OffsetDateTime.parse(timestamptz.strip(), PG_TIMESTAMPTZ).toInstant();
  }
}
