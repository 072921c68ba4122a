package lifeboat.cli.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lifeboat.workflows.runbook.Runbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookLoaderTest {
  @TempDir Path dir;

  @Test
  void theShippedExamplesLoad() {
    RunbookLoader.Loaded loaded = RunbookLoader.loadDirectory(Path.of("../runbooks"));
    assertEquals(List.of(), loaded.problems());
    assertEquals(List.of("app-nightly", "check-hourly", "notes-nightly"),
        loaded.runbooks().stream().map(Runbook::name).toList());
    Runbook check = loaded.runbooks().get(1);
    assertEquals(Runbook.KIND_CHECK, check.kind());
    assertEquals(null, check.database(), "a check runbook without a database checks them all");
    Runbook notes = loaded.runbooks().get(2);
    assertEquals("notes", notes.database());
    assertEquals("Europe/Berlin", notes.schedule().timeZone());
    assertEquals(3, loaded.scheduled().size());
  }

  @Test
  void theNameIsTheFileNameUnlessGiven() throws IOException {
    write("a.yaml", "kind: backup\ndatabase: app\n");
    write("b.yml", "kind: backup\nname: custom\ndatabase: app\n");
    RunbookLoader.Loaded loaded = RunbookLoader.loadDirectory(dir);
    assertEquals(List.of("a", "custom"), loaded.runbooks().stream().map(Runbook::name).toList());
    assertEquals(List.of(), loaded.scheduled(), "no schedule, nothing to schedule");
  }

  @Test
  void everyProblemNamesFileLineAndField() throws IOException {
    write("typo.yaml", "kind: backup\ndatabase: app\nschedule:\n  cron: \"0 2 * * *\"\n  timezone: UTC\n");
    write("cron.yaml", "kind: backup\ndatabase: app\nschedule: { cron: \"0 25 * * *\" }\n");
    write("zone.yaml", "kind: backup\ndatabase: app\nschedule:\n  cron: \"0 2 * * *\"\n  timeZone: Mars/Olympus\n");
    write("nick.yaml", "kind: backup\ndatabase: app\nschedule:\n  cron: \"@daily\"\n");
    write("jitter.yaml", "kind: backup\ndatabase: app\nschedule:\n  cron: \"0 2 * * *\"\n  jitter: soon\n");
    write("kind.yaml", "kind: failover\ndatabase: app\n");
    write("nodb.yaml", "kind: backup\n");
    write("dup.yaml", "kind: backup\nname: a\ndatabase: app\n");
    write("a.yaml", "kind: backup\ndatabase: app\n");
    List<String> problems = RunbookLoader.loadDirectory(dir).problems();
    assertContains(problems, "typo.yaml line 5: unknown field 'schedule.timezone' (known fields there: cron, jitter,"
        + " timeZone)");
    assertContains(problems, "cron.yaml line 3: field 'schedule.cron': not a five-field cron expression: '0 25 * * *'");
    assertContains(problems, "zone.yaml line 5: field 'schedule.timeZone': unknown time zone 'Mars/Olympus'");
    assertContains(problems, "nick.yaml line 4: field 'schedule.cron': cron nicknames like '@daily' are not accepted");
    assertContains(problems, "jitter.yaml line 5: field 'schedule.jitter': not a duration: 'soon'");
    assertContains(problems, "kind.yaml line 1: field 'kind': unknown kind 'failover' (one of [backup, check])");
    assertContains(problems, "nodb.yaml line 1: field 'database' is required");
    assertContains(problems, "dup.yaml: runbook name 'a' is also used by a.yaml");
    assertEquals(8, problems.size(), String.join("\n", problems));
  }

  private static void assertContains(List<String> problems, String expected) {
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)),
        "expected a problem starting with\n  " + expected + "\nin\n  " + String.join("\n  ", problems));
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }
}
