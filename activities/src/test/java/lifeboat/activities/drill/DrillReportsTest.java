package lifeboat.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import lifeboat.activities.repository.FilesystemRepository;
import lifeboat.activities.repository.Manifests;
import lifeboat.activities.support.Metrics;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.drill.SmokeResult;
import lifeboat.workflows.model.AlertDelivery;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.StepRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a drill leaves behind: its report in the repository (JSON and Markdown), the drill gauges as Prometheus
 * shows them, a webhook message when it failed or missed its RTO, and the history `drill history` reads.
 */
class DrillReportsTest {
  static final long T0 = 1_795_000_000_000L;

  @TempDir Path dir;
  PrometheusMeterRegistry registry;
  DrillFixture fx;
  HttpServer hook;
  final List<String> posts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void fixture() throws IOException {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    fx = new DrillFixture(dir, "postgresql://postgres@127.0.0.1:1/app", "unused", new Metrics(registry));
    hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", exchange -> {
      posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hook.start();
    Files.writeString(dir.resolve("webhook.txt"), "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\n");
  }

  @AfterEach
  void cleanup() throws IOException {
    hook.stop(0);
    fx.close();
  }

  static DrillReport report(String drillId, long startedAt, boolean success, Double rto, Double seconds) {
    List<StepRecord> steps = List.of(
        new StepRecord("provision-target", startedAt, startedAt + 1_500, "ok", "cluster on 127.0.0.1:5999"),
        new StepRecord("restore", startedAt + 1_500, startedAt + 9_000, "ok", "12 tables"),
        new StepRecord("smoke-checks", startedAt + 9_000, startedAt + 10_000, success ? "ok" : "failed", null),
        new StepRecord("teardown", startedAt + 10_000, startedAt + 10_400, "ok", "stopped and deleted cluster"));
    List<SmokeResult> smoke = List.of(
        new SmokeResult("users exist", true, "> 0", "3", null),
        new SmokeResult("no orphan orders", success, "= 0", success ? "0" : "1",
            success ? null : "expected = 0, got 1"));
    return new DrillReport(drillId, "drill-app-" + drillId, "restore-drill", "app-weekly", "app", "schedule",
        "20261125T020000.000Z-1a2b", "2026-11-25T02:00:00Z", "cluster lifeboat_drill_x", "41", "41", "42",
        "flyway", smoke, startedAt, startedAt + (long) (seconds * 1000), seconds, rto,
        rto == null ? null : seconds <= rto, success, success ? null : "smoke check failed: no orphan orders",
        steps);
  }

  @Test
  void recordWritesJsonAndMarkdownAndSetsTheGauges() throws Exception {
    DrillReport r = report("20261126T040000.000Z-abcd", T0, false, 30.0, 10.4);
    String where = fx.drills.recordDrill(r);

    Path json = dir.resolve("repo/drills/app/20261126T040000.000Z-abcd.json");
    Path md = dir.resolve("repo/drills/app/20261126T040000.000Z-abcd.md");
    assertEquals(md.toString(), where);
    JsonNode node = new ObjectMapper().readTree(json.toFile());
    assertEquals("20261125T020000.000Z-1a2b", node.get("backupId").asText());
    assertEquals(10.4, node.get("drillSeconds").asDouble());
    assertEquals(4, node.get("steps").size());
    assertEquals(r, fx.drills.listDrills("app", 10).get(0), "the JSON reads back as the same report");

    String text = Files.readString(md);
    assertTrue(text.startsWith("# Restore drill 20261126T040000.000Z-abcd: FAILED"), text);
    assertTrue(text.contains("**Failure:** smoke check failed: no orphan orders"), text);
    assertTrue(text.contains("| RTO | 10.4 s against 30.0 s: met |"), text);
    assertTrue(text.contains("| schema version (backup) | 41 |"), text);
    assertTrue(text.contains("| schema version (migrated) | 42 |"), text);
    for (String step : List.of("| provision-target | ok | 1.5 s |", "| restore | ok | 7.5 s | 12 tables |",
        "| smoke-checks | failed | 1.0 s |", "| teardown | ok | 0.4 s |")) {
      assertTrue(text.contains(step), step + " in\n" + text);
    }
    assertTrue(text.contains("| users exist | pass | > 0 | 3 |"), text);
    assertTrue(text.contains("| no orphan orders | FAIL | = 0 | 1 | expected = 0, got 1 |"), text);

    String scrape = registry.scrape();
    assertTrue(scrape.contains("lifeboat_drill_seconds{database=\"app\"} 10.4"), scrape);
    assertTrue(scrape.contains("lifeboat_drill_success{database=\"app\"} 0.0"), scrape);
    assertTrue(scrape.contains("lifeboat_drill_last_timestamp_seconds{database=\"app\"} 1.7950000104E9"), scrape);

    fx.drills.recordDrill(report("20261203T040000.000Z-ef01", T0 + 7 * 86_400_000L, true, 30.0, 12.0));
    scrape = registry.scrape();
    assertTrue(scrape.contains("lifeboat_drill_success{database=\"app\"} 1.0"), scrape);
    assertTrue(scrape.contains("lifeboat_drill_seconds{database=\"app\"} 12.0"), scrape);
  }

  /**
   * A drill that restored nothing (here no backup could be picked), as a report written before the workflow
   * left rtoMet out says it: no RTO verdict in the Markdown or the notice, and no "null" anywhere.
   */
  @Test
  void aDrillThatRestoredNothingHasNoRtoVerdictAndNoNulls() throws Exception {
    DrillReport r = new DrillReport("d-none", "drill-app-d-none", "restore-drill", "app-weekly", "app", "cli", null,
        null, null, null, null, null, null, List.of(), T0, T0 + 300, 0.3, 30.0, true, false,
        "database app has no verified backup", List.of(new StepRecord("pick-backup", T0, T0 + 200, "failed",
            "database app has no verified backup")));
    assertEquals(null, r.rtoVerdict());
    fx.drills.recordDrill(r);
    String text = Files.readString(dir.resolve("repo/drills/app/d-none.md"));
    assertTrue(text.contains("| RTO | 0.3 s, no verdict against 30.0 s: nothing restored |"), text);
    assertTrue(text.contains("| backup | none picked |") && text.contains("| target | none made |"), text);
    assertTrue(text.contains("| restored | no |"), text);
    assertFalse(text.contains("met") || text.contains("null"), text);
    fx.drills.notifyDrill(r);
    assertTrue(posts.get(0).contains("no verdict against 30.0 s"), posts.get(0));
    assertFalse(posts.get(0).contains("met") || posts.get(0).contains("null"), posts.get(0));
  }

  @Test
  void historyIsNewestFirstByStartTimeAndShowsUnreadableReports() throws Exception {
    // ids deliberately out of time order: the start time decides
    fx.drills.recordDrill(report("b-second", T0 + 2_000, true, null, 5.0));
    fx.drills.recordDrill(report("c-first", T0 + 1_000, false, null, 5.0));
    fx.drills.recordDrill(report("a-third", T0 + 3_000, true, 1.0, 5.0));
    Files.writeString(dir.resolve("repo/drills/app/zz-broken.json"), "{ not json");
    Files.writeString(dir.resolve("repo/drills/app/notes.txt"), "not a report");

    assertEquals(List.of("a-third", "b-second"), ids(fx.drills.listDrills("app", 2)));
    List<DrillReport> all = fx.drills.listDrills("app", 0);
    assertEquals(List.of("a-third", "b-second", "c-first", "zz-broken"), ids(all));
    DrillReport broken = all.get(3);
    assertFalse(broken.success());
    assertTrue(broken.failure().startsWith("report drills/app/zz-broken.json is unreadable"), broken.failure());
    assertEquals(List.of(), fx.drills.listDrills("lite", 10));
  }

  @Test
  void failuresAndMissedObjectivesArePostedAndPassesAreNot() {
    AlertDelivery failed = fx.drills.notifyDrill(report("d1", T0, false, 30.0, 10.0));
    assertEquals(new AlertDelivery(true, "sent"), failed);
    assertEquals(1, posts.size());
    assertTrue(posts.get(0).startsWith("{\"text\":\"Lifeboat: restore drill of app FAILED (drill d1)"), posts.get(0));
    assertTrue(posts.get(0).contains("smoke check failed: no orphan orders: expected = 0, got 1"), posts.get(0));
    assertTrue(posts.get(0).contains("drills/app/d1.md"), posts.get(0));

    AlertDelivery slow = fx.drills.notifyDrill(report("d2", T0, true, 30.0, 45.0));
    assertTrue(slow.sent());
    assertEquals(2, posts.size());
    assertTrue(posts.get(1).contains("passed but missed its RTO"), posts.get(1));
    assertTrue(posts.get(1).contains("45.0 s against 30.0 s: MISSED"), posts.get(1));

    AlertDelivery fine = fx.drills.notifyDrill(report("d3", T0, true, 30.0, 10.0));
    assertFalse(fine.sent());
    assertEquals("none: the drill passed within its RTO", fine.detail());
    assertFalse(fx.drills.notifyDrill(report("d4", T0, true, null, 10.0)).sent());
    assertEquals(2, posts.size(), "nothing posted for a passing drill");
  }

  @Test
  void candidatesAreVerifiedBackupsNewestFirst() {
    assertEquals(List.of(), fx.drills.listDrillCandidates("app"));
    FilesystemRepository repo = new FilesystemRepository(dir.resolve("repo"));
    Manifests.write(repo, manifest("20261124T020000.000Z-aaaa", true));
    Manifests.write(repo, manifest("20261125T020000.000Z-bbbb", false));
    Manifests.write(repo, manifest("20261126T020000.000Z-cccc", true));
    assertEquals(List.of("20261126T020000.000Z-cccc", "20261124T020000.000Z-aaaa"),
        fx.drills.listDrillCandidates("app").stream().map(BackupManifest::backupId).toList());
  }

  private static BackupManifest manifest(String id, boolean verified) {
    return new BackupManifest(1, id, "app", "postgres", "15", "41", "local", "backups/app/" + id + "/data.zst",
        null, "2026-11-26T02:00:00Z", "2026-11-26T02:01:00Z", 10, 5, "00", "zstd", "none", List.of(), verified,
        verified ? "ok" : null);
  }

  private static List<String> ids(List<DrillReport> reports) {
    return reports.stream().map(DrillReport::drillId).toList();
  }
}
