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

  /** Database names become parts of ids and repository paths: the one rule, shared with lifeboat.yaml's loader. */
  public static String requireName(String database) {
    return lifeboat.workflows.model.DatabaseNames.require(database);
  }
}
