package lifeboat.workflows.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.WalStatus;
import org.junit.jupiter.api.Test;

class WalAlarmsTest {
  private static WalStatus status(List<String> gaps, String archivedLsn, Long lagSeconds, Boolean slotActive,
      Long retained, String serverProblem) {
    return new WalStatus("app", "lifeboat_app", 1, "000000010000000000000001", 0L, "000000010000000000000009", 9,
        gaps, archivedLsn, 0L, "0/A000000", 100L, lagSeconds, slotActive, "0/9000000", retained, 300, 1 << 30,
        serverProblem, null, null, List.of());
  }

  /** archive_command mode: no slot, PostgreSQL's archiver instead. */
  private static WalStatus pushed(Long lagSeconds, lifeboat.workflows.model.WalArchiver archiver) {
    return new WalStatus("app", null, 1, "000000010000000000000001", 0L, "000000010000000000000009", 9,
        List.of(), "0/A000000", 0L, "0/A000100", 256L, lagSeconds, null, null, null, 300, 1 << 30, null, archiver, null,
        List.of());
  }

  private static List<String> kinds(WalStatus w) {
    return WalAlarms.of(w).stream().map(Alarm::kind).toList();
  }

  @Test
  void aHealthyArchiveRaisesNothing() {
    assertEquals(List.of(), kinds(status(List.of(), "0/A000000", 2L, true, 16L << 20, null)));
    assertEquals(List.of(), WalAlarms.of(null));
  }

  @Test
  void eachLimitPassedRaisesItsAlarmWithTheNumbers() {
    assertEquals(List.of(Alarm.WAL_GAP), kinds(status(List.of("000000010000000000000004"), "0/A000000", 2L, true,
        0L, null)));
    List<Alarm> lag = WalAlarms.of(status(List.of(), "0/A000000", 301L, true, 0L, null));
    assertEquals(Alarm.WAL_LAG, lag.get(0).kind());
    assertTrue(lag.get(0).message().contains("301 s behind the server (100 bytes not stored; limit 300 s)"),
        lag.get(0).message());
    assertEquals(List.of(Alarm.WAL_SLOT), kinds(status(List.of(), "0/A000000", 0L, false, (1L << 30) + 1, null)));
    assertEquals(List.of(Alarm.WAL_SLOT), kinds(status(List.of(), "0/A000000", 0L, null, null, null)),
        "a slot that is not on the server");
    assertEquals(List.of(Alarm.WAL_LAG), kinds(status(List.of(), null, null, true, 0L, null)), "nothing archived");
  }

  /** A MariaDB binlog archive: files and file:bytes positions, no slot and no archiver. */
  @Test
  void aBinlogArchiveRaisesNoSlotAlarmAndNamesItsMissingFiles() {
    WalStatus healthy = new WalStatus("shop", null, 0, "binlog.000001", null, "binlog.000003", 3, List.of(),
        "binlog.000004:1551", 0L, "binlog.000004:1551", 0L, 0L, null, null, null, 300, 0, null, null, null, List.of());
    assertEquals(List.of(), kinds(healthy));
    WalStatus gap = new WalStatus("shop", null, 0, "binlog.000001", null, "binlog.000005", 3, List.of("binlog.000002"),
        "binlog.000006:400", 0L, "binlog.000006:900", 500L, 400L, null, null, null, 300, 0, null, null, null, List.of());
    List<Alarm> alarms = WalAlarms.of(gap);
    assertEquals(List.of(Alarm.WAL_GAP, Alarm.WAL_LAG), alarms.stream().map(Alarm::kind).toList());
    assertTrue(alarms.get(0).message().startsWith("1 binlog file(s) missing from the archive, first binlog.000002"),
        alarms.get(0).message());
  }

  @Test
  void aServerThatCannotBeAskedRaisesOnlyWhatTheRepositoryShows() {
    assertEquals(List.of(Alarm.WAL_GAP), kinds(status(List.of("000000010000000000000004"), null, null, null, null,
        "connection refused")));
  }

  @Test
  void inArchiveCommandModeNoSlotAlarmIsRaisedAndAFailingPushIsNamedInTheLagAlarm() {
    var ok = new lifeboat.workflows.model.WalArchiver(9L, "000000010000000000000009", 2000L, 0L, null, null);
    assertEquals(List.of(), kinds(pushed(2L, ok)), "no slot, and wal-slot does not apply");
    var failing = new lifeboat.workflows.model.WalArchiver(9L, "000000010000000000000009", 2000L, 4L,
        "00000001000000000000000A", 3000L);
    assertEquals(List.of(), kinds(pushed(20L, failing)), "within maxLag: not yet an alarm");
    List<Alarm> lag = WalAlarms.of(pushed(400L, failing));
    assertEquals(List.of(Alarm.WAL_LAG), lag.stream().map(Alarm::kind).toList());
    assertTrue(lag.get(0).message().contains("archive_command failed 4 time(s), last for 00000001000000000000000A"),
        lag.get(0).message());
  }
}
