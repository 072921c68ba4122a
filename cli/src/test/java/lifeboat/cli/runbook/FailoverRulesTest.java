package lifeboat.cli.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.FenceSpec;
import lifeboat.workflows.runbook.ProbeSettings;
import lifeboat.workflows.runbook.RepointSpec;
import org.junit.jupiter.api.Test;

/** The failover section's load-time checks (RunbookKinds does not start failover runbooks yet). */
class FailoverRulesTest {
  static final FailoverEndpoint PRIMARY = new FailoverEndpoint("postgresql://postgres@10.0.0.1:5432/app", "env:P");
  static final FailoverEndpoint STANDBY = new FailoverEndpoint("postgresql://postgres@10.0.0.2:5432/app", "env:S");

  @Test
  void aPgBouncerRunbookAsDocumentedPasses() {
    FailoverSpec f = new FailoverSpec(PRIMARY, STANDBY, new ProbeSettings(3, "30s", "3s"),
        RepointSpec.pgbouncer("/etc/pgbouncer/pgbouncer.ini", "app",
            new FailoverEndpoint("postgresql://pgbouncer@127.0.0.1:6432/pgbouncer", "env:A")),
        null, new FenceSpec(true, "ssh db1 sudo systemctl stop postgresql", "60s"), null, "60s");
    assertEquals(List.of(), problems(f));
  }

  @Test
  void eachMistakeIsOneLine() {
    FailoverSpec f = new FailoverSpec(new FailoverEndpoint("postgresql://postgres:pw@10.0.0.1/app", "env:P"),
        new FailoverEndpoint(STANDBY.url(), "hunter2"), new ProbeSettings(0, "soon", null),
        RepointSpec.envFile("/etc/app/db.env", null), null, null, null, null);
    assertEquals(List.of(
        "at failover.primary.url: field 'failover.primary.url' must not contain a password: put it in "
            + "failover.primary.password as env:NAME or file:PATH",
        "at failover.standby.password: field 'failover.standby.password': a secret reference (env:NAME or "
            + "file:PATH), never the password itself",
        "at failover.probe.attempts: field 'failover.probe.attempts': 1 to 100",
        "at failover.probe.window: field 'failover.probe.window': not a duration: 'soon' (write 90s, 30m, 26h, 7d "
            + "or PT26H)",
        "at failover: field 'failover.application' is required with repoint type env-file (the URL the "
            + "application connects to, for the verification)"), problems(f));
  }

  @Test
  void route53TakesCnameAOrAaaaOnly() {
    for (String type : List.of("CNAME", "A", "aaaa")) {
      assertEquals(List.of(), problems(route53(type)), type);
    }
    assertEquals(List.of("at failover.repoint.recordType: field 'failover.repoint.recordType': CNAME, A or AAAA"),
        problems(route53("TXT")));
  }

  private static FailoverSpec route53(String recordType) {
    return new FailoverSpec(PRIMARY, STANDBY, null,
        RepointSpec.route53("Z0123EXAMPLE", "db.example.com", recordType, 30L, null, null),
        new FailoverEndpoint("postgresql://app@db.example.com:5432/app", "env:APP"), null, null, "60s");
  }

  private static List<String> problems(FailoverSpec f) {
    List<String> problems = new ArrayList<>();
    FailoverRules.check(f, field -> "at " + field + ": ", problems);
    return problems;
  }
}
