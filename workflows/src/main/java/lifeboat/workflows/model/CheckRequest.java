package lifeboat.workflows.model;

import java.util.List;
import java.util.Map;
import lifeboat.workflows.runbook.AlarmPolicy;

/**
 * Input of {@code CheckWorkflow}.
 *
 * @param databases  the databases to check; empty or null: every database configured on the worker
 * @param defaults   limits for every database (a field left null falls back to {@link AlarmPolicy#DEFAULT}),
 *                   e.g. from {@code lifeboat check --max-age 30h}; nullable
 * @param overrides  per-database limits, winning over {@code defaults} field by field; nullable
 */
public record CheckRequest(List<String> databases, AlarmPolicy defaults, Map<String, AlarmPolicy> overrides) {

  /** Checks every configured database with the default limits. */
  public static CheckRequest all() {
    return new CheckRequest(List.of(), null, Map.of());
  }

  /** The limits for one database: its override, then the defaults, then {@link AlarmPolicy#DEFAULT}. */
  public AlarmPolicy policyFor(String database) {
    AlarmPolicy base = defaults == null ? AlarmPolicy.DEFAULT : defaults.withDefaults();
    AlarmPolicy own = overrides == null ? null : overrides.get(database);
    if (own == null) {
      return base;
    }
    return new AlarmPolicy(own.maxAge() != null ? own.maxAge() : base.maxAge(),
        own.sizeChangePercent() != null ? own.sizeChangePercent() : base.sizeChangePercent());
  }
}
