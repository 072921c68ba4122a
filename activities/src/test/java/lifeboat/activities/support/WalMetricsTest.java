package lifeboat.activities.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import lifeboat.workflows.model.WalStatus;
import org.junit.jupiter.api.Test;

/** The WAL archive's gauges, as a status read sets them; an unknown figure is NaN, not a stale number. */
class WalMetricsTest {
  private static WalStatus status(Long lagSeconds, Long lagBytes, Long retained) {
    return new WalStatus("app", "lifeboat_app", 1, "000000010000000000000001", 0L, "000000010000000000000003", 3,
        List.of("000000010000000000000002"), "0/3000000", 0L, "0/3000100", lagBytes, lagSeconds, true, "0/3000000",
        retained, 300, 1 << 30, null, null, null, List.of());
  }

  @Test
  void aStatusSetsTheLagGapAndSlotGaugesOfItsDatabase() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics metrics = new Metrics(registry);
    metrics.walStatus(status(12L, 256L, 4096L));
    assertEquals(12.0, registry.get("lifeboat.wal.lag").tag("database", "app").gauge().value());
    assertEquals(256.0, registry.get("lifeboat.wal.unarchived").tag("database", "app").gauge().value());
    assertEquals(1.0, registry.get("lifeboat.wal.gaps").tag("database", "app").gauge().value());
    assertEquals(4096.0, registry.get("lifeboat.wal.slot.retained").tag("database", "app").gauge().value());

    metrics.walStatus(status(null, null, null)); // the server did not answer
    assertTrue(Double.isNaN(registry.get("lifeboat.wal.lag").tag("database", "app").gauge().value()));
  }
}
