package lifeboat.cli;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Readable workflow ids: {@code backup-app-20261126T052601Z-3f2a}. */
public final class WorkflowIds {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private WorkflowIds() {}

  public static String next(String kind, String database) {
    return kind + "-" + database + "-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
        + UUID.randomUUID().toString().substring(0, 4);
  }

  /** Database names become parts of ids and repository paths: keep them to a safe alphabet. */
  public static String requireName(String database) {
    if (!database.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException("not a database name: '" + database + "' (letters, digits, _ . -)");
    }
    return database;
  }
}
