package lifeboat.cli.runbook;

import lifeboat.workflows.model.SecretReferences;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import lifeboat.workflows.model.ConnectionStrings;
import lifeboat.workflows.runbook.Durations;
import lifeboat.workflows.runbook.FailoverEndpoint;
import lifeboat.workflows.runbook.FailoverSpec;
import lifeboat.workflows.runbook.RebuildSpec;
import lifeboat.workflows.runbook.RepointSpec;

/**
 * The checks of a failover runbook's {@code failover:} section that need no server: URLs, one repoint type with
 * its own fields, durations. What only the worker can see (the ini's entry, the env file) is checked by the
 * activities (FAILOVER_INVALID).
 */
final class FailoverRules {
  private FailoverRules() {}

  static void check(FailoverSpec f, Function<String, String> at, List<String> problems) {
    if (f == null) {
      problems.add(at.apply("kind") + "field 'failover' is required by kind failover");
      return;
    }
    endpoint(f.primary(), "failover.primary", true, at, problems);
    endpoint(f.standby(), "failover.standby", true, at, problems);
    endpoint(f.application(), "failover.application", false, at, problems);
    if (f.probe() != null) {
      if (f.probe().attempts() != null && (f.probe().attempts() < 1 || f.probe().attempts() > 100)) {
        problems.add(at.apply("failover.probe.attempts") + "field 'failover.probe.attempts': 1 to 100");
      }
      duration(f.probe().window(), "failover.probe.window", at, problems);
      duration(f.probe().timeout(), "failover.probe.timeout", at, problems);
    }
    duration(f.promoteTimeout(), "failover.promoteTimeout", at, problems);
    if (f.fence() != null) {
      duration(f.fence().timeout(), "failover.fence.timeout", at, problems);
    }
    repoint(f.repoint(), f.application() != null, at, problems);
    RebuildSpec r = f.rebuild();
    if (r != null) {
      if (r.dataDir() == null) {
        problems.add(at.apply("failover.rebuild") + "field 'failover.rebuild.dataDir' is required (the old primary's"
            + " data directory on the worker)");
      }
      if (!Set.of(RebuildSpec.AUTO, RebuildSpec.REWIND, RebuildSpec.BASEBACKUP).contains(r.methodOrDefault())) {
        problems.add(at.apply("failover.rebuild.method") + "field 'failover.rebuild.method': auto, rewind or basebackup");
      }
    }
  }

  private static void repoint(RepointSpec r, boolean hasApplication, Function<String, String> at,
      List<String> problems) {
    if (r == null) {
      problems.add(at.apply("failover") + "field 'failover.repoint' is required (pgbouncer, env-file or route53)");
      return;
    }
    String f = "failover.repoint";
    if (RepointSpec.PGBOUNCER.equals(r.type())) {
      require(r.config(), f + ".config", at, problems);
      require(r.database(), f + ".database", at, problems);
      endpoint(r.admin(), f + ".admin", true, at, problems);
    } else if (RepointSpec.ENV_FILE.equals(r.type())) {
      require(r.path(), f + ".path", at, problems);
    } else if (RepointSpec.ROUTE53.equals(r.type())) {
      require(r.hostedZoneId(), f + ".hostedZoneId", at, problems);
      require(r.recordName(), f + ".recordName", at, problems);
      if (r.recordType() != null && !Set.of("CNAME", "A", "AAAA").contains(r.recordType().toUpperCase())) {
        problems.add(at.apply(f + ".recordType") + "field '" + f + ".recordType': CNAME, A or AAAA");
      }
    } else {
      problems.add(at.apply(f + ".type") + "field '" + f + ".type': pgbouncer, env-file or route53, not '"
          + r.type() + "'");
      return;
    }
    if (!RepointSpec.PGBOUNCER.equals(r.type()) && !hasApplication) {
      problems.add(at.apply("failover") + "field 'failover.application' is required with repoint type " + r.type()
          + " (the URL the application connects to, for the verification)");
    }
  }

  private static void endpoint(FailoverEndpoint e, String field, boolean required, Function<String, String> at,
      List<String> problems) {
    if (e == null) {
      if (required) {
        problems.add(at.apply("failover") + "field '" + field + "' is required: { url: \"postgresql://user@host:5432/db\","
            + " password: env:NAME }");
      }
      return;
    }
    if (e.url() == null || !ConnectionStrings.isPostgresUrl(e.url())) {
      problems.add(at.apply(field + ".url") + "field '" + field + ".url': a postgresql://user@host:port/db URL");
    } else if (ConnectionStrings.containsPassword(e.url())) {
      problems.add(at.apply(field + ".url") + "field '" + field + ".url' must not contain a password: put it in "
          + field + ".password as env:NAME or file:PATH");
    }
    if (!SecretReferences.isAbsentOrReference(e.password())) {
      problems.add(at.apply(field + ".password") + SecretReferences.literalProblem(field + ".password"));
    }
  }

  private static void require(String value, String field, Function<String, String> at, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(at.apply(field) + "field '" + field + "' is required");
    }
  }

  private static void duration(String value, String field, Function<String, String> at, List<String> problems) {
    if (value != null) {
      RunbookRules.parsed(at, problems, field, () -> Durations.parse(value));
    }
  }
}
