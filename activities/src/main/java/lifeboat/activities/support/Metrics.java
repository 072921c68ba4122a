package lifeboat.activities.support;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import lifeboat.workflows.drill.DrillReport;
import lifeboat.workflows.model.Alarm;
import lifeboat.workflows.model.BackupManifest;
import lifeboat.workflows.model.DatabaseCheck;

/**
 * Lifeboat's own gauges, recorded by the activities into the worker's registry (served on /metrics as
 * Prometheus text). Names, as Prometheus shows them:
 * <ul>
 *   <li>{@code lifeboat_backup_last_success_timestamp_seconds{database}}: when the newest verified backup was
 *       published by this worker;</li>
 *   <li>{@code lifeboat_backup_size_bytes{database,kind="raw"|"stored"}}: its dump and stored sizes;</li>
 *   <li>{@code lifeboat_backup_duration_seconds{database}}: its dump's start to end;</li>
 *   <li>{@code lifeboat_alarm{database,reason}}: 1 while the last check found that alarm, else 0;</li>
 *   <li>{@code lifeboat_drill_seconds{database}}: the last recorded restore drill's provision-to-teardown time;</li>
 *   <li>{@code lifeboat_drill_success{database}}: 1 when it passed, else 0;</li>
 *   <li>{@code lifeboat_drill_last_timestamp_seconds{database}}: when it ended;</li>
 *   <li>{@code lifeboat_wal_lag_seconds{database}}, {@code lifeboat_wal_unarchived_bytes{database}}: how far the WAL
 *       archive is behind the server, {@code lifeboat_wal_gaps{database}}: segments missing from it,
 *       {@code lifeboat_wal_slot_retained_bytes{database}}: WAL its slot holds on the server (each set when its
 *       status is read: `wal status`, `check`).</li>
 * </ul>
 * {@code lifeboat_backup_failures_total{database}} is counted by BackupWorkflow through the SDK's
 * replay-aware workflow metrics scope, which reports into the same registry.
 */
public final class Metrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

  public Metrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics nobody reads: for tools and tests that run activities without a worker's registry. */
  public static Metrics none() {
    return new Metrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A verified backup was published. */
  public void backupPublished(BackupManifest m, Instant publishedAt) {
    Tags db = Tags.of("database", m.database());
    set("lifeboat.backup.last_success_timestamp", "seconds", db, publishedAt.toEpochMilli() / 1000.0);
    set("lifeboat.backup.size", "bytes", db.and("kind", "raw"), m.rawBytes());
    set("lifeboat.backup.size", "bytes", db.and("kind", "stored"), m.storedBytes());
    try {
      Duration took = Duration.between(Instant.parse(m.startedAt()), Instant.parse(m.endedAt()));
      set("lifeboat.backup.duration", "seconds", db, took.toMillis() / 1000.0);
    } catch (RuntimeException e) {
      // a manifest written by hand without times: no duration, the other gauges still hold
    }
  }

  /** The verdicts of a check: every alarm kind of every checked database is set, to 1 or 0. */
  public void alarms(List<DatabaseCheck> checks) {
    for (DatabaseCheck check : checks) {
      for (String kind : Alarm.KINDS) {
        boolean raised = check.alarms().stream().anyMatch(a -> a.kind().equals(kind));
        set("lifeboat.alarm", null, Tags.of("database", check.database(), "reason", kind), raised ? 1 : 0);
      }
    }
  }

  /** A WAL archive's status was read. Unknown figures (a server that did not answer) are NaN. */
  public void walStatus(lifeboat.workflows.model.WalStatus w) {
    Tags db = Tags.of("database", w.database());
    set("lifeboat.wal.lag", "seconds", db, w.lagSeconds() == null ? Double.NaN : w.lagSeconds());
    set("lifeboat.wal.unarchived", "bytes", db, w.lagBytes() == null ? Double.NaN : w.lagBytes());
    set("lifeboat.wal.gaps", null, db, w.gaps().size());
    set("lifeboat.wal.slot.retained", "bytes", db,
        w.slotRetainedBytes() == null ? Double.NaN : w.slotRetainedBytes());
  }

  /** A restore drill was recorded (passed or failed). */
  public void drillRecorded(DrillReport r) {
    Tags db = Tags.of("database", r.database());
    set("lifeboat.drill", "seconds", db, r.drillSeconds());
    set("lifeboat.drill.success", null, db, r.success() ? 1 : 0);
    set("lifeboat.drill.last_timestamp", "seconds", db, r.endedAtMillis() / 1000.0);
  }

  private void set(String name, String unit, Tags tags, double value) {
    String id = name + tags;
    values.computeIfAbsent(id, k -> {
      AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
      Gauge.builder(name, holder, AtomicReference::get).baseUnit(unit).tags(tags).register(registry);
      return holder;
    }).set(value);
  }
}
