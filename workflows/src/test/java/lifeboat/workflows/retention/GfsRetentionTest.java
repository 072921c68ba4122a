package lifeboat.workflows.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import lifeboat.workflows.backup.BackupIds;
import lifeboat.workflows.model.BackupListing;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.RetentionDecision;
import lifeboat.workflows.runbook.RetentionPolicy;
import org.junit.jupiter.api.Test;

/** The keep set as a pure function of backups, time and policy, over many calendars. */
class GfsRetentionTest {
  private static final Instant NOW = Instant.parse("2026-11-26T05:00:00Z"); // a Thursday, ISO week 2026-W48

  static BackupManifest backup(Instant started, boolean verified) {
    String id = BackupIds.newId(started.toEpochMilli(), new UUID(0, started.getEpochSecond()));
    return new BackupManifest(1, id, "app", "sqlite", "3.46", null, "local", "backups/app/" + id + "/data.zst",
        "/repo", started.toString(), started.plusSeconds(60).toString(), 10, 5, "00", "zstd-3", "none", List.of(),
        verified, verified ? "sha256 ok" : "not verified");
  }

  static BackupManifest backup(String started) {
    return backup(Instant.parse(started), true);
  }

  /** One verified backup a day at {@code time} UTC, from {@code first} to {@code last} inclusive. */
  static List<BackupManifest> nightly(String first, String last, String time) {
    List<BackupManifest> out = new ArrayList<>();
    for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
      out.add(backup(d + "T" + time + "Z"));
    }
    return out;
  }

  static RetentionPolicy policy(int daily, int weekly, int monthly, int yearly) {
    return new RetentionPolicy(daily, weekly, monthly, yearly, "0s", "UTC");
  }

  /** The UTC start dates of the kept backups, newest first. */
  static List<String> keptDays(List<RetentionDecision> plan) {
    return plan.stream().filter(RetentionDecision::keep).map(d -> d.startedAt().substring(0, 10)).toList();
  }

  static String reasonOf(List<RetentionDecision> plan, String startedAt) {
    return plan.stream().filter(d -> d.startedAt().equals(startedAt)).findFirst().orElseThrow().reason();
  }

  @Test
  void defaultsOver400NightsKeep7Days4Weeks12MonthsAndTheYears() {
    List<BackupManifest> backups = nightly("2025-10-23", "2026-11-26", "02:00:00");
    assertEquals(400, backups.size());
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, null);
    assertEquals(List.of(
        // 7 days
        "2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20",
        // weeks W46 and W45 (W48 and W47 are represented by 11-26 and the Sunday 11-22)
        "2026-11-15", "2026-11-08",
        // month ends, 2026-11 being 11-26; Feb 2026 has 28 days
        "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30",
        "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31"), keptDays(plan));
    assertEquals("newest verified, daily 2026-11-26, weekly 2026-W48, monthly 2026-11, yearly 2026,"
        + " younger than minAge 24h",
        reasonOf(plan, "2026-11-26T02:00:00Z"));
    assertEquals("weekly 2026-W46", reasonOf(plan, "2026-11-15T02:00:00Z"));
    assertEquals("monthly 2025-12, yearly 2025", reasonOf(plan, "2025-12-31T02:00:00Z"));
    assertEquals("represents no kept bucket", reasonOf(plan, "2026-11-19T02:00:00Z"));
    assertEquals(plan, GfsRetention.plan(backups, NOW, RetentionPolicy.DEFAULT), "null policy = defaults");
    assertEquals(plan, GfsRetention.plan(backups, NOW, new RetentionPolicy(null, null, null, null, null, null)));
  }

  @Test
  void monthEndsInALeapYearAndTheNextYear() {
    List<BackupManifest> backups = nightly("2023-12-20", "2025-03-10", "12:00:00");
    Instant now = Instant.parse("2025-03-10T18:00:00Z");
    List<RetentionDecision> plan = GfsRetention.plan(backups, now, policy(0, 0, 15, 0));
    assertEquals(List.of("2025-03-10", "2025-02-28", "2025-01-31", "2024-12-31", "2024-11-30", "2024-10-31",
        "2024-09-30", "2024-08-31", "2024-07-31", "2024-06-30", "2024-05-31", "2024-04-30", "2024-03-31",
        "2024-02-29", "2024-01-31"), keptDays(plan));
    assertEquals("monthly 2024-02", reasonOf(plan, "2024-02-29T12:00:00Z"));
  }

  @Test
  void yearBoundariesKeepTheLastBackupOfEachYear() {
    List<BackupManifest> backups = nightly("2019-06-01", "2024-03-01", "03:00:00");
    List<RetentionDecision> plan = GfsRetention.plan(backups, Instant.parse("2024-03-02T00:00:00Z"),
        policy(0, 0, 0, 4));
    assertEquals(List.of("2024-03-01", "2023-12-31", "2022-12-31", "2021-12-31"), keptDays(plan));
  }

  @Test
  void isoWeeksSpanYears() {
    // 2026-01-01 is a Thursday: Mon 2025-12-29 .. Sun 2026-01-04 is ISO week 2026-W01.
    List<BackupManifest> backups = nightly("2025-12-20", "2026-01-02", "08:00:00");
    List<RetentionDecision> plan = GfsRetention.plan(backups, Instant.parse("2026-01-03T00:00:00Z"),
        policy(0, 3, 0, 0));
    assertEquals(List.of("2026-01-02", "2025-12-28", "2025-12-21"), keptDays(plan));
    assertTrue(reasonOf(plan, "2026-01-02T08:00:00Z").contains("weekly 2026-W01"));
    assertEquals("weekly 2025-W52", reasonOf(plan, "2025-12-28T08:00:00Z"));
    // same week as 01-02, which represents it
    assertEquals("represents no kept bucket", reasonOf(plan, "2025-12-29T08:00:00Z"));
    // 2020 has 53 ISO weeks; Sunday 2021-01-03 still belongs to 2020-W53.
    List<RetentionDecision> w53 = GfsRetention.plan(nightly("2020-12-27", "2021-01-05", "08:00:00"),
        Instant.parse("2021-01-06T00:00:00Z"), policy(0, 2, 0, 0));
    assertEquals("weekly 2020-W53", reasonOf(w53, "2021-01-03T08:00:00Z"));
  }

  @Test
  void bucketsAreDaysOfThePolicysTimeZone() {
    List<BackupManifest> backups = List.of(backup("2026-11-25T23:30:00Z"), backup("2026-11-25T10:00:00Z"),
        backup("2026-11-24T10:00:00Z"));
    List<RetentionDecision> utc = GfsRetention.plan(backups, NOW, policy(2, 0, 0, 0));
    assertEquals(List.of("2026-11-25T23:30:00Z", "2026-11-24T10:00:00Z"), keptTimes(utc));
    assertEquals("a newer backup represents 2026-11-25", reasonOf(utc, "2026-11-25T10:00:00Z"));

    // 23:30 UTC is 00:30 the next day in Berlin: three backups, three days, the oldest is the third.
    List<RetentionDecision> berlin = GfsRetention.plan(backups, NOW,
        new RetentionPolicy(2, 0, 0, 0, "0s", "Europe/Berlin"));
    assertEquals(List.of("2026-11-25T23:30:00Z", "2026-11-25T10:00:00Z"), keptTimes(berlin));
    assertEquals("newest verified, daily 2026-11-26", reasonOf(berlin, "2026-11-25T23:30:00Z"));
    assertEquals("daily 2026-11-25", reasonOf(berlin, "2026-11-25T10:00:00Z"));
    // and the other way: 00:30 UTC is still the day before in New York
    List<RetentionDecision> ny = GfsRetention.plan(List.of(backup("2026-12-01T00:30:00Z")),
        Instant.parse("2026-12-02T00:00:00Z"),
        new RetentionPolicy(0, 0, 1, 0, "0s", "America/New_York"));
    assertEquals("newest verified, monthly 2026-11", ny.get(0).reason());
  }

  @Test
  void missingDaysDoNotUseUpTheDailyQuota() {
    List<BackupManifest> backups = List.of(backup("2026-11-26T02:00:00Z"), backup("2026-11-20T02:00:00Z"),
        backup("2026-11-10T02:00:00Z"), backup("2026-11-01T02:00:00Z"), backup("2026-10-15T02:00:00Z"));
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, policy(3, 0, 0, 0));
    assertEquals(List.of("2026-11-26", "2026-11-20", "2026-11-10"), keptDays(plan));
    assertEquals("daily 2026-11-10", reasonOf(plan, "2026-11-10T02:00:00Z"));
  }

  @Test
  void severalBackupsADayKeepTheNewestOfEachDay() {
    List<BackupManifest> backups = new ArrayList<>();
    for (String day : List.of("2026-11-23", "2026-11-24", "2026-11-25")) {
      for (String time : List.of("00:15", "06:00", "12:00", "18:45")) {
        backups.add(backup(day + "T" + time + ":00Z"));
      }
    }
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, policy(2, 0, 0, 0));
    assertEquals(List.of("2026-11-25T18:45:00Z", "2026-11-24T18:45:00Z"), keptTimes(plan));
    assertEquals(10, plan.stream().filter(d -> !d.keep()).count());
    assertEquals("a newer backup represents 2026-11-24", reasonOf(plan, "2026-11-24T06:00:00Z"));
    assertEquals("represents no kept bucket", reasonOf(plan, "2026-11-23T18:45:00Z"));
  }

  @Test
  void unverifiedBackupsNeverRepresentABucket() {
    List<BackupManifest> backups = List.of(
        backup(Instant.parse("2026-11-25T14:00:00Z"), false), // newer than the newest verified: kept
        backup("2026-11-25T02:00:00Z"),
        backup(Instant.parse("2026-11-24T02:00:00Z"), false), // the only backup of its day: no bucket
        backup("2026-11-23T02:00:00Z"),
        backup("2026-11-22T02:00:00Z"));
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, policy(2, 0, 0, 0));
    assertEquals(List.of("2026-11-25T14:00:00Z", "2026-11-25T02:00:00Z", "2026-11-23T02:00:00Z"),
        keptTimes(plan));
    assertEquals("not verified, newer than the newest verified", reasonOf(plan, "2026-11-25T14:00:00Z"));
    assertEquals("newest verified, daily 2026-11-25", reasonOf(plan, "2026-11-25T02:00:00Z"));
    assertEquals("not verified, older than the newest verified", reasonOf(plan, "2026-11-24T02:00:00Z"));
  }

  @Test
  void allUnverifiedKeepsEverything() {
    List<BackupManifest> backups = List.of(backup(Instant.parse("2026-11-25T02:00:00Z"), false),
        backup(Instant.parse("2026-10-01T02:00:00Z"), false), backup(Instant.parse("2025-01-01T02:00:00Z"), false));
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, policy(0, 0, 0, 0));
    assertTrue(plan.stream().allMatch(RetentionDecision::keep));
    assertTrue(plan.stream().allMatch(d -> d.reason().equals("not verified, and no backup is verified")));
  }

  @Test
  void minAgeProtectsYoungBackupsWhateverThePolicy() {
    List<BackupManifest> backups = List.of(backup(NOW.minus(Duration.ofHours(1)), true),
        backup(NOW.minus(Duration.ofHours(30)), true), backup(NOW.minus(Duration.ofHours(47)), false),
        backup(NOW.minus(Duration.ofHours(50)), true), backup(NOW.minus(Duration.ofHours(72)), false));
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, new RetentionPolicy(0, 0, 0, 0, "48h", "UTC"));
    assertEquals(List.of(true, true, true, false, false), plan.stream().map(RetentionDecision::keep).toList());
    assertEquals("newest verified, younger than minAge 48h", plan.get(0).reason());
    assertEquals("younger than minAge 48h", plan.get(1).reason());
    assertEquals("younger than minAge 48h", plan.get(2).reason(), "even unverified");
    assertEquals("a newer backup represents 2026-11-24", plan.get(3).reason(), "30h and 50h ago: the same day");
  }

  @Test
  void theNewestVerifiedIsKeptEvenByAnAllZeroPolicy() {
    List<RetentionDecision> plan = GfsRetention.plan(nightly("2026-11-01", "2026-11-25", "02:00:00"), NOW,
        policy(0, 0, 0, 0));
    assertEquals(List.of("2026-11-25"), keptDays(plan));
    assertEquals("newest verified", plan.get(0).reason());
  }

  @Test
  void anUnreadableStartTimeFallsBackToTheIdOrIsKept() {
    BackupManifest good = backup("2026-11-20T02:00:00Z");
    BackupManifest noStart = withStart(good, "yesterday-ish");
    BackupManifest notOurs = new BackupManifest(1, "0-manual", "app", "sqlite", "3", null, "local", "k", "l",
        "???", "???", 1, 1, "00", "zstd-3", "none", List.of(), true, "ok");
    List<RetentionDecision> plan = GfsRetention.plan(List.of(backup("2026-11-25T02:00:00Z"), noStart, notOurs),
        NOW, policy(2, 0, 0, 0));
    assertEquals("daily 2026-11-20", plan.get(1).reason(), "the id says 2026-11-20T02:00:00Z");
    assertEquals("start time unreadable", plan.get(2).reason());
    assertTrue(plan.get(2).keep());
  }

  @Test
  void invalidPoliciesAreRefusedWithTheirReason() {
    assertEquals("daily must be 0 or more, not -1", assertThrows(IllegalArgumentException.class,
        () -> GfsRetention.plan(List.of(), NOW, new RetentionPolicy(-1, null, null, null, null, null))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> GfsRetention.plan(List.of(), NOW,
        new RetentionPolicy(null, null, null, null, null, "Mars/Olympus"))).getMessage().contains("Mars/Olympus"));
    assertThrows(IllegalArgumentException.class, () -> GfsRetention.plan(List.of(), NOW,
        new RetentionPolicy(null, null, null, null, "soon", null)));
  }

  @Test
  void anEmptyRepositoryPlansNothing() {
    assertTrue(GfsRetention.plan(List.of(), NOW, null).isEmpty());
  }

  @Test
  void refusalRules() {
    List<BackupManifest> backups = nightly("2026-11-01", "2026-11-25", "02:00:00");
    List<RetentionDecision> plan = GfsRetention.plan(backups, NOW, null);
    assertEquals(null, RetentionWorkflowImpl.refusal(new BackupListing(backups, List.of()), plan));
    assertEquals("the listing cannot be trusted: manifest of x is unreadable",
        RetentionWorkflowImpl.refusal(new BackupListing(backups, List.of("manifest of x is unreadable")), plan));

    List<BackupManifest> withUnverifiedNewest = new ArrayList<>(backups);
    withUnverifiedNewest.add(backup(Instant.parse("2026-11-26T02:00:00Z"), false));
    List<RetentionDecision> plan2 = GfsRetention.plan(withUnverifiedNewest, NOW, null);
    assertTrue(RetentionWorkflowImpl.refusal(new BackupListing(withUnverifiedNewest, List.of()), plan2)
        .endsWith("is not verified"));

    List<RetentionDecision> tampered = new ArrayList<>(plan);
    RetentionDecision newest = tampered.get(0);
    tampered.set(0, new RetentionDecision(newest.backupId(), newest.startedAt(), true, false, "x", null));
    assertTrue(RetentionWorkflowImpl.refusal(new BackupListing(backups, List.of()), tampered)
        .startsWith("the plan would delete the newest verified backup"));
    assertFalse(plan.get(0).reason().isEmpty());
  }

  private static List<String> keptTimes(List<RetentionDecision> plan) {
    return plan.stream().filter(RetentionDecision::keep).map(RetentionDecision::startedAt)
        .collect(Collectors.toList());
  }

  private static BackupManifest withStart(BackupManifest m, String startedAt) {
    return new BackupManifest(m.formatVersion(), m.backupId(), m.database(), m.engine(), m.serverVersion(),
        m.schemaVersion(), m.repository(), m.objectKey(), m.location(), startedAt, m.endedAt(), m.rawBytes(),
        m.storedBytes(), m.sha256(), m.compression(), m.encryption(), m.recipients(), m.verified(),
        m.verification());
  }
}
