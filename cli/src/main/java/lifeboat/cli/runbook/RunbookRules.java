package lifeboat.cli.runbook;

import lifeboat.workflows.model.SecretReferences;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import lifeboat.workflows.check.AlarmRules;
import lifeboat.workflows.drill.DrillWindow;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.runbook.ApprovalPolicy;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.MigratorSpec;
import lifeboat.workflows.runbook.RestoreSpec;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.SmokeCheck;
import lifeboat.workflows.runbook.SmokeExpectation;
import lifeboat.workflows.retention.GfsRetention;
import lifeboat.workflows.schedule.RunbookKinds;

/**
 * The checks of the sections a kind uses (restore, migrator, smoke, approval) and the refusal of sections a
 * kind ignores, so a typo'd or misplaced section is an error at load time, not a surprise at 3 a.m.
 */
final class RunbookRules {
  /** Sections each kind reads; any other section present is an error. */
  private static final Map<String, Set<String>> SECTIONS = Map.of(
      Runbook.KIND_BACKUP, Set.of("retention", "alarms"),
      Runbook.KIND_CHECK, Set.of("alarms"),
      Runbook.KIND_RESTORE_DRILL, Set.of("restore", "migrator", "smoke"),
      Runbook.KIND_RESTORE_SCHEMA_PUSH, Set.of("restore", "migrator", "smoke"),
      Runbook.KIND_PITR_DRILL, Set.of("restore", "smoke"),
      Runbook.KIND_PRE_MIGRATION_BACKUP, Set.of("migrator", "approval"),
      Runbook.KIND_FAILOVER, Set.of("failover", "approval", "migrator"));

  private RunbookRules() {}

  /** Adds one line per problem; {@code at} gives "file line N: " for a dotted field path. */
  static void check(Runbook r, Function<String, String> at, List<String> problems) {
    Set<String> allowed = SECTIONS.getOrDefault(r.kind(), Set.of());
    Map<String, Object> present = new java.util.LinkedHashMap<>();
    present.put("retention", r.retention());
    present.put("alarms", r.alarms());
    present.put("restore", r.restore());
    present.put("migrator", r.migrator());
    present.put("smoke", r.smoke());
    present.put("approval", r.approval());
    present.put("failover", r.failover());
    present.forEach((section, value) -> {
      if (value != null && !allowed.contains(section)) {
        problems.add(at.apply(section) + "field '" + section + "' is not used by kind " + r.kind()
            + (allowed.isEmpty() ? "" : " (it reads: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
      }
    });
    if (r.schedule() != null && !RunbookKinds.SCHEDULABLE.contains(r.kind())) {
      problems.add(at.apply("schedule") + "field 'schedule': a " + r.kind() + (Runbook.KIND_FAILOVER.equals(r.kind())
          ? " runs when the primary is gone, not on a clock: start it with `lifeboat failover start`"
          : " runs with a deployment, not on a clock: start it with `lifeboat migrate run`"));
    }
    boolean needsMigrator = Runbook.KIND_RESTORE_SCHEMA_PUSH.equals(r.kind())
        || Runbook.KIND_PRE_MIGRATION_BACKUP.equals(r.kind());
    if (needsMigrator && r.migrator() == null) {
      problems.add(at.apply("kind") + "field 'migrator' is required by kind " + r.kind());
    }
    if (r.retention() != null && allowed.contains("retention")) {
      parsed(at, problems, "retention", () -> GfsRetention.validated(r.retention()));
    }
    if (r.alarms() != null && allowed.contains("alarms")) {
      parsed(at, problems, "alarms", () -> AlarmRules.validate(r.alarms(), "the runbook's alarms"));
    }
    if (r.restore() != null && allowed.contains("restore")) {
      restore(r.restore(), at, problems);
    }
    if (r.migrator() != null && allowed.contains("migrator")) {
      migrator(r.migrator(), at, problems);
    }
    if (r.smoke() != null && allowed.contains("smoke")) {
      smoke(r.smoke(), at, problems);
    }
    if (r.approval() != null && allowed.contains("approval")) {
      approval(r.approval(), at, problems);
    }
    if (Runbook.KIND_FAILOVER.equals(r.kind())) {
      FailoverRules.check(r.failover(), at, problems);
    }
  }

  private static void restore(RestoreSpec s, Function<String, String> at, List<String> problems) {
    if (s.backup() != null && s.backup().isBlank()) {
      problems.add(at.apply("restore.backup") + "field 'restore.backup': latest, random, or a backup id");
    }
    if (s.window() != null) {
      if (!RestoreSpec.RANDOM.equals(s.backup())) {
        problems.add(at.apply("restore.window") + "field 'restore.window' needs 'backup: random'");
      }
      parsed(at, problems, "restore.window", () -> DrillWindow.validate(s.window()));
    }
    String target = s.target() == null ? RestoreSpec.TARGET_CLUSTER : s.target();
    if (!Set.of(RestoreSpec.TARGET_CLUSTER, RestoreSpec.TARGET_SERVER).contains(target)) {
      problems.add(at.apply("restore.target") + "field 'restore.target': unknown target '" + target
          + "' (cluster: a fresh initdb cluster on the worker; server: a fresh database on restore.server)");
    }
    if (RestoreSpec.TARGET_SERVER.equals(target)) {
      // which of the two suits the database's engine is checked when the drill plans its target
      if (s.server() == null || !(ConnectionStrings.isPostgresUrl(s.server())
          || ConnectionStrings.isMariaDbUrl(s.server()))) {
        problems.add(at.apply("restore.server") + "field 'restore.server': target server needs a URL of the drill "
            + "server, e.g. postgresql://lifeboat@drill-db:5432/postgres or mariadb://lifeboat@drill-db:3306/mysql");
      } else if (ConnectionStrings.containsPassword(s.server())) {
        problems.add(at.apply("restore.server") + "field 'restore.server' must not contain a password: put it in "
            + "serverPassword as env:NAME or file:PATH");
      }
      if (!SecretReferences.isAbsentOrReference(s.serverPassword())) {
        problems.add(at.apply("restore.serverPassword") + SecretReferences.literalProblem("restore.serverPassword"));
      }
    } else if (s.server() != null || s.serverPassword() != null) {
      problems.add(at.apply("restore.server") + "fields 'restore.server' and 'restore.serverPassword' need "
          + "'target: server'");
    }
    if (s.jobs() != null && (s.jobs() < 1 || s.jobs() > 64)) {
      problems.add(at.apply("restore.jobs") + "field 'restore.jobs': 1 to 64");
    }
    if (s.rto() != null) {
      parsed(at, problems, "restore.rto", () -> Durations.parse(s.rto()));
    }
    if (s.canaryTable() != null && !s.canaryTable().matches(RestoreSpec.CANARY_TABLE_PATTERN)) {
      problems.add(at.apply("restore.canaryTable") + "field 'restore.canaryTable': schema.table in lower case"
          + " (letters, digits, _), e.g. app.lifeboat_canary");
    }
  }

  private static void migrator(MigratorSpec m, Function<String, String> at, List<String> problems) {
    if (MigratorSpec.FLYWAY.equals(m.type())) {
      if (m.locations() == null || m.locations().isEmpty()) {
        problems.add(at.apply("migrator.locations") + "field 'migrator.locations': flyway needs at least one "
            + "folder of V<n>__name.sql files");
      }
      if (m.command() != null || m.checkCommand() != null) {
        problems.add(at.apply("migrator.command") + "fields 'migrator.command' and 'checkCommand' are for "
            + "type: command");
      }
    } else if (MigratorSpec.COMMAND.equals(m.type())) {
      if (m.command() == null || m.command().isBlank()) {
        problems.add(at.apply("migrator.command") + "field 'migrator.command' is required by type: command");
      }
      if (m.locations() != null) {
        problems.add(at.apply("migrator.locations") + "field 'migrator.locations' is for type: flyway");
      }
    } else {
      problems.add(at.apply("migrator.type") + "field 'migrator.type': flyway or command, not '" + m.type() + "'");
    }
    if (m.timeout() != null) {
      parsed(at, problems, "migrator.timeout", () -> Durations.parse(m.timeout()));
    }
  }

  private static void smoke(List<SmokeCheck> checks, Function<String, String> at, List<String> problems) {
    for (int i = 0; i < checks.size(); i++) {
      SmokeCheck c = checks.get(i);
      String field = "smoke[" + i + "]";
      if (c == null) {
        problems.add(at.apply(field) + "field '" + field + "' is empty");
        continue;
      }
      if (c.name() == null || c.name().isBlank()) {
        problems.add(at.apply(field) + "field '" + field + ".name' is required");
      }
      if (c.probes()) {
        if (c.sql() != null || c.expect() != null) {
          problems.add(at.apply(field) + "field '" + field + "': writeProbe takes no sql or expect");
        }
      } else if (c.sql() == null || c.expect() == null) {
        problems.add(at.apply(field) + "field '" + field + "': give sql and expect (or writeProbe: true)");
      } else {
        parsed(at, problems, field + ".expect", () -> SmokeExpectation.parse(c.expect()));
      }
    }
  }

  private static void approval(ApprovalPolicy a, Function<String, String> at, List<String> problems) {
    if (a.remindEvery() != null) {
      parsed(at, problems, "approval.remindEvery", () -> Durations.parse(a.remindEvery()));
    }
    if (a.timeout() != null) {
      parsed(at, problems, "approval.timeout", () -> Durations.parse(a.timeout()));
    }
    if (a.onTimeout() != null && !Set.of(ApprovalPolicy.WAIT, ApprovalPolicy.ABORT).contains(a.onTimeout())) {
      problems.add(at.apply("approval.onTimeout") + "field 'approval.onTimeout': wait or abort");
    }
  }

  /** Runs a parse of one field; its IllegalArgumentException becomes a problem naming the field. */
  static void parsed(Function<String, String> at, List<String> problems, String field, Runnable parse) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      problems.add(at.apply(field) + "field '" + field + "': " + e.getMessage());
    }
  }
}
