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
    assertEquals(List.of("app-drill-monthly", "app-drill-weekly", "app-failover", "app-nightly", "app-pre-migration",
            "app-schema-push", "check-hourly", "notes-drill-weekly", "notes-nightly"),
        loaded.runbooks().stream().map(Runbook::name).toList());
    Runbook check = byName(loaded, "check-hourly");
    assertEquals(Runbook.KIND_CHECK, check.kind());
    assertEquals(null, check.database(), "a check runbook without a database checks them all");
    Runbook notes = byName(loaded, "notes-nightly");
    assertEquals("notes", notes.database());
    assertEquals("Europe/Berlin", notes.schedule().timeZone());
    Runbook drill = byName(loaded, "app-drill-weekly");
    assertEquals(Runbook.KIND_RESTORE_DRILL, drill.kind());
    assertEquals("30m", drill.restore().rto());
    assertEquals(List.of("runbooks/migrations/app"), drill.migrator().locations());
    assertEquals(3, drill.smokeChecks().size());
    assertTrue(drill.smokeChecks().get(2).probes());
    assertEquals("random", byName(loaded, "app-drill-monthly").restore().backup());
    assertEquals(List.of("alice", "bob"), byName(loaded, "app-pre-migration").approval().approvers());
    Runbook failover = byName(loaded, "app-failover");
    assertEquals(Runbook.KIND_FAILOVER, failover.kind());
    assertEquals("pgbouncer", failover.failover().repoint().type());
    assertEquals(3, failover.failover().probeOrDefault().attempts());
    assertEquals(6, loaded.scheduled().size());
  }

  @Test
  void yamlAndTypeMistakesAreOneLineWithoutJacksonOrSnakeyamlInternals() throws IOException {
    write("twice.yaml", "kind: backup\ndatabase: app\ndatabase: notes\n");
    write("type.yaml", "kind: restore-drill\ndatabase: app\nsmoke: { name: n }\n");
    write("syntax.yaml", "kind: backup\ndatabase: [app\n");
    write("daily.yaml", "kind: backup\ndatabase: app\nschedule: { cron: \"@daily\" }\n");
    List<String> problems = RunbookLoader.loadDirectory(dir).problems();
    assertContains(problems, "twice.yaml line 3: 'database' is given twice");
    assertContains(problems, "type.yaml line 3: field 'smoke': expected a list, got a mapping");
    assertContains(problems, "syntax.yaml line ");
    assertContains(problems, "daily.yaml line 3: field 'schedule.cron': cron nicknames like '@daily' are not"
        + " accepted; write five fields: @daily is \"0 0 * * *\"");
    assertEquals(4, problems.size(), String.join("\n", problems));
    for (String p : problems) {
      assertEquals(1, p.lines().count(), p);
      for (String internal : List.of("java.", "`", "reference chain", "snakeyaml", "lifeboat.workflows")) {
        assertTrue(!p.contains(internal), internal + " leaks into: " + p);
      }
    }
  }

  @Test
  void eachKindChecksItsSections() throws IOException {
    write("nomig.yaml", "kind: restore-schema-push\ndatabase: app\n");
    write("premig-sched.yaml", "kind: pre-migration-backup\ndatabase: app\nschedule: { cron: \"0 2 * * *\" }\n"
        + "migrator: { type: command, command: \"true\" }\n");
    write("misplaced.yaml", "kind: backup\ndatabase: app\nsmoke: []\n");
    write("window.yaml", "kind: restore-drill\ndatabase: app\nrestore: { backup: latest, window: 30d }\n");
    write("server.yaml", "kind: restore-drill\ndatabase: app\nrestore:\n  target: server\n"
        + "  server: postgresql://u:secret@h/postgres\n");
    write("target.yaml", "kind: restore-drill\ndatabase: app\nrestore: { target: docker }\n");
    write("rto.yaml", "kind: restore-drill\ndatabase: app\nrestore: { rto: soon }\n");
    write("flyway.yaml", "kind: restore-drill\ndatabase: app\nmigrator: { type: flyway }\n");
    write("mtype.yaml", "kind: restore-drill\ndatabase: app\nmigrator: { type: liquibase }\n");
    write("expect.yaml", "kind: restore-drill\ndatabase: app\nsmoke:\n  - { name: n, sql: \"select 1\", expect: \"about 1\" }\n");
    write("probe.yaml", "kind: restore-drill\ndatabase: app\nsmoke:\n  - { name: p, writeProbe: true, sql: \"select 1\" }\n");
    write("approval.yaml", "kind: pre-migration-backup\ndatabase: app\nmigrator: { type: command, command: x }\n"
        + "approval: { onTimeout: shrug }\n");
    write("canary.yaml", "kind: pitr-drill\ndatabase: app\nrestore: { canaryTable: \"x; drop table t\" }\n");
    write("ok.yaml", "kind: restore-drill\ndatabase: app\nrestore: { backup: random, window: previous-month }\n"
        + "smoke:\n  - { name: n, sql: \"select 'a'\", expect: \"= 'a'\" }\n");
    write("pitr.yaml", "kind: pitr-drill\ndatabase: app\nrestore: { rto: 10m, canaryTable: app.lifeboat_canary }\n");
    RunbookLoader.Loaded loaded = RunbookLoader.loadDirectory(dir);
    List<String> problems = loaded.problems();
    assertContains(problems, "nomig.yaml line 1: field 'migrator' is required by kind restore-schema-push");
    assertContains(problems, "premig-sched.yaml line 3: field 'schedule': a pre-migration-backup runs with a "
        + "deployment, not on a clock");
    assertContains(problems, "misplaced.yaml line 3: field 'smoke' is not used by kind backup");
    assertContains(problems, "window.yaml line 3: field 'restore.window' needs 'backup: random'");
    assertContains(problems, "server.yaml line 5: field 'restore.server' must not contain a password");
    assertContains(problems, "target.yaml line 3: field 'restore.target': unknown target 'docker'");
    assertContains(problems, "rto.yaml line 3: field 'restore.rto': not a duration: 'soon'");
    assertContains(problems, "flyway.yaml line 3: field 'migrator.locations': flyway needs at least one folder");
    assertContains(problems, "mtype.yaml line 3: field 'migrator.type': flyway or command, not 'liquibase'");
    assertContains(problems, "expect.yaml line 4: field 'smoke[0].expect': expect \"about 1\" is not an operator");
    assertContains(problems, "probe.yaml line 4: field 'smoke[0]': writeProbe takes no sql or expect");
    assertContains(problems, "approval.yaml line 4: field 'approval.onTimeout': wait or abort");
    assertContains(problems, "canary.yaml line 3: field 'restore.canaryTable': schema.table in lower case");
    assertEquals(13, problems.size(), String.join("\n", problems));
    assertEquals(List.of("ok", "pitr"), loaded.runbooks().stream().map(Runbook::name).toList());
    assertEquals("app.lifeboat_canary", loaded.runbooks().get(1).restore().canaryTableOrDefault());
  }

  /** Every duration a workflow would parse is checked at load: a bad one never reaches a running workflow. */
  @Test
  void everyDurationIsCheckedBeforeARun() throws IOException {
    write("window.yaml", "kind: restore-drill\ndatabase: app\nrestore: { backup: random, window: a month }\n");
    write("huge.yaml", "kind: restore-drill\ndatabase: app\nrestore: { rto: 999999999999999d }\n");
    write("failover.yaml", """
        kind: failover
        database: app
        failover:
          primary: { url: "postgresql://u@h1:5432/app", password: env:P }
          standby: { url: "postgresql://u@h2:5432/app", password: env:P }
          application: { url: "postgresql://u@h:5432/app", password: env:P }
          probe: { window: soon }
          repoint: { type: env-file, path: /etc/app.env }
        approval: { approvers: [alice], remindEvery: 5 minutes, timeout: 30m }
        """);
    write("alarms.yaml", "kind: backup\ndatabase: app\nalarms: { maxAge: a day }\n");
    write("retention.yaml", "kind: backup\ndatabase: app\nretention: { minAge: soon }\n");
    List<String> problems = RunbookLoader.loadDirectory(dir).problems();
    assertContains(problems, "window.yaml line 3: field 'restore.window': not a duration: 'a month'");
    assertContains(problems, "huge.yaml line 3: field 'restore.rto': duration too long: '999999999999999d'");
    assertContains(problems, "failover.yaml line 7: field 'failover.probe.window': not a duration: 'soon'");
    assertContains(problems, "failover.yaml line 9: field 'approval.remindEvery': not a duration: '5 minutes'");
    assertContains(problems, "alarms.yaml line 3: field 'alarms': maxAge of the runbook's alarms: not a duration");
    assertContains(problems, "retention.yaml line 3: field 'retention': not a duration: 'soon'");
    assertEquals(6, problems.size(), String.join("\n", problems));
  }

  /** A literal password in a runbook would reach workflow history with the runbook: refused at load. */
  @Test
  void aDrillServerPasswordMustBeASecretReference() throws IOException {
    write("literal.yaml", "kind: restore-drill\ndatabase: app\nrestore:\n  target: server\n"
        + "  server: \"postgresql://lifeboat@drill-db:5432/postgres\"\n  serverPassword: hunter2\n");
    write("reference.yaml", "kind: restore-drill\ndatabase: app\nrestore:\n  target: server\n"
        + "  server: \"postgresql://lifeboat@drill-db:5432/postgres\"\n  serverPassword: env:DRILL_PASSWORD\n");
    List<String> problems = RunbookLoader.loadDirectory(dir).problems();
    assertEquals(List.of("literal.yaml line 6: field 'restore.serverPassword': a secret reference (env:NAME or"
        + " file:PATH), never the password itself"), problems);
  }

  @Test
  void findTakesANameOrAFileAndIgnoresOtherFilesProblems() throws IOException {
    write("good.yaml", "kind: restore-drill\ndatabase: app\n");
    write("bad.yaml", "kind: restore-drill\n");
    assertEquals("good", RunbookLoader.find("good", dir).name());
    assertEquals("good", RunbookLoader.find(dir.resolve("good.yaml").toString(), dir).name());
    IllegalArgumentException missing =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> RunbookLoader.find("nope", dir));
    assertTrue(missing.getMessage().contains("no valid runbook named 'nope'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("bad.yaml line 1: field 'database' is required"), missing.getMessage());
  }

  private static Runbook byName(RunbookLoader.Loaded loaded, String name) {
    return loaded.runbooks().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
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
    write("kind.yaml", "kind: switchover\ndatabase: app\n");
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
    assertContains(problems, "kind.yaml line 1: field 'kind': unknown kind 'switchover' (one of [backup, check, failover, pitr-drill, pre-migration-backup, restore-drill, restore-schema-push])");
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
