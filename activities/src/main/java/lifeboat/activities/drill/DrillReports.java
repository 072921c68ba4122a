package lifeboat.activities.drill;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.activities.repository.Repositories;
import lifeboat.activities.repository.Repository;
import lifeboat.workflows.drill.DrillReport;

/**
 * Drill reports in a repository: {@code drills/<database>/<drillId>.json} (what `drill history` reads) and
 * {@code .md} beside it (for people). Outside {@code backups/}, so retention and the leftover sweep, which
 * only ever list {@code backups/<database>/}, never see them.
 */
final class DrillReports {
  // Tolerant on read, as manifests are: a newer Lifeboat may add fields.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private DrillReports() {}

  static String prefix(String database) {
    return "drills/" + database + "/";
  }

  static String jsonKey(String database, String drillId) {
    return prefix(database) + drillId + ".json";
  }

  static String markdownKey(String database, String drillId) {
    return prefix(database) + drillId + ".md";
  }

  /** Markdown first, JSON last: a report that `drill history` lists always has its readable twin. */
  static void write(Repository repo, DrillReport report) {
    Repositories.putSmall(repo, markdownKey(report.database(), report.drillId()),
        DrillMarkdown.render(report).getBytes(StandardCharsets.UTF_8));
    try {
      Repositories.putSmall(repo, jsonKey(report.database(), report.drillId()), JSON.writeValueAsBytes(report));
    } catch (IOException e) {
      throw storage("cannot serialize the drill report " + report.drillId() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest {@code limit} reports (all when limit &lt;= 0), by start time. A report that cannot be read is
   * listed as a failed drill saying so, rather than hidden or hiding the others.
   */
  static List<DrillReport> list(Repository repo, String database, int limit) {
    List<DrillReport> reports = new ArrayList<>();
    for (String key : repo.list(prefix(database))) {
      String rest = key.substring(prefix(database).length());
      if (rest.endsWith(".json") && !rest.contains("/")) {
        reports.add(read(repo, database, key, rest.substring(0, rest.length() - ".json".length())));
      }
    }
    reports.sort(Comparator.comparingLong(DrillReport::startedAtMillis).thenComparing(DrillReport::drillId)
        .reversed());
    return limit > 0 && reports.size() > limit ? List.copyOf(reports.subList(0, limit)) : List.copyOf(reports);
  }

  private static DrillReport read(Repository repo, String database, String key, String drillId) {
    try (InputStream in = repo.read(key)) {
      return JSON.readValue(in, DrillReport.class);
    } catch (IOException | RuntimeException e) {
      if (e instanceof LifeboatException le && le.code() == ErrorCode.STORAGE_FAILED) {
        throw le; // the repository failed, not the report: the listing is not to be trusted
      }
      return new DrillReport(drillId, null, null, null, database, null, null, null, null, null, null, null, null,
          null, 0, 0, 0, null, null, false, "report " + key + " is unreadable: " + e.getMessage(), null);
    }
  }

  private static LifeboatException storage(String message, Exception e) {
    return new LifeboatException(ErrorCode.STORAGE_FAILED, message, "retried; check the repository", e);
  }
}
