package lifeboat.workflows.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.BackupHeartbeat;
import lifeboat.workflows.model.BackupStatus;
import lifeboat.workflows.model.CheckRequest;
import lifeboat.workflows.model.DatabaseCheck;
import lifeboat.workflows.runbook.AlarmPolicy;
import org.junit.jupiter.api.Test;

class AlarmRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

  private static BackupHeartbeat backup(String id, Duration ago, long raw) {
    String at = NOW.minus(ago).toString();
    return new BackupHeartbeat("app", id, at, at, raw, raw / 3);
  }

  private static List<String> kinds(DatabaseCheck check) {
    return check.alarms().stream().map(Alarm::kind).toList();
  }

  private static DatabaseCheck evaluate(AlarmPolicy policy, BackupHeartbeat heartbeat, BackupHeartbeat... verified) {
    return AlarmRules.evaluate(new BackupStatus("app", heartbeat, List.of(verified)), policy, NOW);
  }

  @Test
  void aDrillTargetLeftBehindIsAnAlarmWhateverTheBackupsSay() {
    String left = "drill d1 is over but its throwaway target is still there: SQLite file /tmp/x.db";
    DatabaseCheck fresh = AlarmRules.evaluate(new BackupStatus("app", null,
        List.of(backup("b1", Duration.ofHours(2), 1000)), List.of(left)), AlarmPolicy.DEFAULT, NOW);
    assertEquals(List.of(Alarm.DRILL_LEFTOVER), kinds(fresh));
    assertEquals(left, fresh.alarms().get(0).message());
    DatabaseCheck none = AlarmRules.evaluate(new BackupStatus("app", null, List.of(), List.of(left)),
        AlarmPolicy.DEFAULT, NOW);
    assertEquals(List.of(Alarm.DRILL_LEFTOVER, Alarm.NO_BACKUP), kinds(none));
    DatabaseCheck recordedBefore = AlarmRules.evaluate(new BackupStatus("app", null,
        List.of(backup("b1", Duration.ofHours(2), 1000)), null), AlarmPolicy.DEFAULT, NOW);
    assertTrue(recordedBefore.ok(), "a status recorded before leftovers were read has none");
  }

  @Test
  void freshBackupOfSimilarSizeIsOk() {
    DatabaseCheck check = evaluate(AlarmPolicy.DEFAULT, null,
        backup("b2", Duration.ofHours(2), 1100), backup("b1", Duration.ofHours(26), 1000));
    assertTrue(check.ok(), check.toString());
    assertEquals("b2", check.newestBackupId());
    assertEquals(7200, check.ageSeconds());
    assertEquals(10.0, check.sizeChangePercent(), 1e-9);
    assertEquals(1000L, check.previousRawBytes());
  }

  @Test
  void newestOlderThanMaxAgeIsStale() {
    DatabaseCheck check = evaluate(AlarmPolicy.DEFAULT, null, backup("b1", Duration.ofHours(27), 1000));
    assertEquals(List.of(Alarm.STALE), kinds(check));
    assertTrue(check.alarms().get(0).message().contains("27h old (limit 26h)"), check.toString());
    assertTrue(evaluate(new AlarmPolicy("28h", null), null, backup("b1", Duration.ofHours(27), 1000)).ok());
  }

  @Test
  void aNewerHeartbeatCountsForAge() {
    DatabaseCheck check = evaluate(AlarmPolicy.DEFAULT, backup("b2", Duration.ofHours(1), 1000),
        backup("b1", Duration.ofHours(30), 1000));
    assertTrue(check.ok(), check.toString());
    assertEquals("b2", check.newestBackupId());
    assertNull(check.sizeChangePercent(), "the heartbeat's backup is not the listed one: no pair to compare");
  }

  @Test
  void sizeChangeBeyondTheLimitEitherWayIsAnAlarm() {
    DatabaseCheck smaller = evaluate(AlarmPolicy.DEFAULT, null,
        backup("b2", Duration.ofHours(1), 700), backup("b1", Duration.ofHours(25), 1000));
    assertEquals(List.of(Alarm.SIZE_CHANGE), kinds(smaller));
    assertTrue(smaller.alarms().get(0).message().contains("30.0% smaller"), smaller.toString());
    DatabaseCheck larger = evaluate(AlarmPolicy.DEFAULT, null,
        backup("b2", Duration.ofHours(1), 1250), backup("b1", Duration.ofHours(25), 1000));
    assertEquals(List.of(Alarm.SIZE_CHANGE), kinds(larger));
    assertTrue(evaluate(new AlarmPolicy(null, 30), null,
        backup("b2", Duration.ofHours(1), 1250), backup("b1", Duration.ofHours(25), 1000)).ok());
    assertTrue(evaluate(AlarmPolicy.DEFAULT, null,
        backup("b2", Duration.ofHours(1), 800), backup("b1", Duration.ofHours(25), 1000)).ok(), "exactly 20%");
  }

  @Test
  void noVerifiedBackupIsAnAlarm() {
    DatabaseCheck check = evaluate(AlarmPolicy.DEFAULT, null);
    assertEquals(List.of(Alarm.NO_BACKUP), kinds(check));
    assertNull(check.newestBackupAt());
  }

  @Test
  void staleAndShrunkGiveTwoAlarms() {
    DatabaseCheck check = evaluate(AlarmPolicy.DEFAULT, null,
        backup("b2", Duration.ofDays(3), 100), backup("b1", Duration.ofDays(4), 1000));
    assertEquals(List.of(Alarm.STALE, Alarm.SIZE_CHANGE), kinds(check));
  }

  @Test
  void policiesResolveOverrideThenDefaultsThenBuiltIn() {
    CheckRequest req = new CheckRequest(List.of(), new AlarmPolicy("30h", null),
        Map.of("app", new AlarmPolicy(null, 5)));
    assertEquals(new AlarmPolicy("30h", 5), req.policyFor("app"));
    assertEquals(new AlarmPolicy("30h", 20), req.policyFor("other"));
    assertEquals(AlarmPolicy.DEFAULT, CheckRequest.all().policyFor("x"));
  }

  @Test
  void unusableLimitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> AlarmRules.validate(new AlarmPolicy("soon", 20), "app"));
    assertThrows(IllegalArgumentException.class, () -> AlarmRules.validate(new AlarmPolicy("1h", -1), "app"));
    AlarmRules.validate(new AlarmPolicy("PT26H", 0), "app");
  }
}
