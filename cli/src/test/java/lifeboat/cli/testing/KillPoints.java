package lifeboat.cli.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import com.fasterxml.jackson.databind.JsonNode;
import lifeboat.activities.wal.WalNames;
import lifeboat.workflows.drill.ThrowawayTarget;
import lifeboat.workflows.model.WorkflowProgress;

/**
 * What the kill tests share: waiting for the moment to kill (a partial object over N bytes, a restore over N
 * bytes), and reading what happened from the history afterwards.
 */
public final class KillPoints {
  private KillPoints() {}

  public static long completed(List<HistoryEvent> events, String type) {
    return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
        .filter(e -> activityType(events, e.getActivityTaskCompletedEventAttributes().getScheduledEventId())
            .equals(type))
        .count();
  }

  public static String activityType(List<HistoryEvent> events, long scheduledEventId) {
    return events.stream().filter(e -> e.getEventId() == scheduledEventId).findFirst().orElseThrow()
        .getActivityTaskScheduledEventAttributes().getActivityType().getName();
  }

  /** Data directories of throwaway drill clusters still on disk (the activities keep them under the temp dir). */
  public static List<Path> drillClusters() throws IOException {
    try (var files = Files.walk(Path.of(System.getProperty("java.io.tmpdir")), 2)) {
      return files.filter(p -> p.getFileName().toString().startsWith("lifeboat_drill_"))
          .filter(p -> Files.exists(p.resolve("PG_VERSION"))).toList();
    }
  }

  /**
   * The drill's own throwaway cluster (its data directory, from CreateThrowawayTarget's result) is gone. Not
   * {@link #drillClusters}: other test runs on the machine make theirs in the same folder (seen: another
   * checkout's drill, started after this one's teardown, failed that check).
   */
  public static void assertClusterGone(WorkflowClient client, String id) {
    ThrowawayTarget created = createdTarget(client, id);
    assertTrue(created != null && created.dir() != null, "the drill made a cluster: " + created);
    assertFalse(Files.exists(Path.of(created.dir()).resolve("PG_VERSION")), "no throwaway cluster left: "
        + created.dir());
  }

  /**
   * Polls the throwaway cluster (its URL is in CreateThrowawayTarget's result) until pg_restore has written
   * {@code bytes} of table big: the kill then lands mid-restore. (Heartbeat details reach the server throttled,
   * at most every 24 s, so they cannot time a kill in a restore of seconds.)
   */
  public static void awaitRestoredOver(WorkflowClient client, String id, long bytes, CliProcess worker)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    String url = null;
    while (System.nanoTime() < deadline) {
      if (url == null) {
        url = createdTargetUrl(client, id);
      } else {
        try (var c = java.sql.DriverManager.getConnection(url.replace("postgresql://postgres@",
                 "jdbc:postgresql://") + "?user=postgres");
             var st = c.createStatement();
             var rs = st.executeQuery("select coalesce(sum(pg_total_relation_size(oid)), 0) from pg_class"
                 + " where relname = 'big'")) {
          rs.next();
          if (rs.getLong(1) > bytes) {
            return;
          }
        } catch (java.sql.SQLException e) {
          // the cluster is starting, or the database is not there yet
        }
      }
      assertFalse(WorkflowRuns.isClosed(client, id), "the drill finished before the kill: "
          + client.newUntypedWorkflowStub(id).query("progress", WorkflowProgress.class));
      assertTrue(worker.process().isAlive(), "worker died:\n" + worker.output());
      Thread.sleep(50);
    }
    throw new AssertionError("the restore of " + id + " never passed " + bytes + " bytes; progress "
        + client.newUntypedWorkflowStub(id).query("progress", WorkflowProgress.class) + "\n" + worker.output());
  }

  /** The URL CreateThrowawayTarget returned, once it has. */
  public static String createdTargetUrl(WorkflowClient client, String id) {
    ThrowawayTarget created = createdTarget(client, id);
    return created == null ? null : created.url();
  }

  /** The target CreateThrowawayTarget returned (its place, name and URL), once it has; else null. */
  public static ThrowawayTarget createdTarget(WorkflowClient client, String id) {
    List<HistoryEvent> events = client.fetchHistory(id).getEvents();
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && activityType(events,
          e.getActivityTaskCompletedEventAttributes().getScheduledEventId()).equals("CreateThrowawayTarget")) {
        return io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
            Optional.of(e.getActivityTaskCompletedEventAttributes().getResult()), ThrowawayTarget.class,
            ThrowawayTarget.class);
      }
    }
    return null;
  }

  public static String eventSummary(WorkflowClient client, String id) {
    StringBuilder sb = new StringBuilder();
    for (HistoryEvent e : client.fetchHistory(id).getEvents()) {
      sb.append(e.getEventId()).append(' ').append(e.getEventType()).append(' ')
          .append(Instant.ofEpochSecond(e.getEventTime().getSeconds())).append('\n');
    }
    return sb.toString();
  }



  /** Polls the repository until a partial object passes {@code bytes}; returns its size then. */
  public static long awaitPartialOver(LifeboatHome home, long bytes, CliProcess worker) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      for (Path partial : home.repositoryFiles(".partial-")) {
        long size = sizeOf(partial);
        if (size > bytes) {
          return size;
        }
      }
      assertTrue(home.repositoryFiles("manifest.json").isEmpty(), "the backup finished before the kill");
      assertTrue(worker.process().isAlive(), "worker died:\n" + worker.output());
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no partial object over " + bytes + " bytes:\n" + worker.output());
  }

  public static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // renamed or removed meanwhile
    }
  }

  public static long backupFolders(Path database) {
    try (var entries = Files.list(database)) {
      return entries.filter(Files::isDirectory).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One DumpToRepository scheduled (a retry is the same activity, not a new one); the attempt that finished
   * it was the second, run by the replacement worker once the killed one stopped heartbeating.
   */
  public static void assertDumpRanTwiceAfterAHeartbeatTimeout(WorkflowClient client, String id,
      long replacementPid) {
    List<HistoryEvent> events = client.fetchHistory(id).getEvents();
    List<HistoryEvent> scheduled = events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
            .equals("DumpToRepository"))
        .toList();
    assertEquals(1, scheduled.size(), "DumpToRepository scheduled once");
    long scheduledId = scheduled.get(0).getEventId();
    Optional<HistoryEvent> started = events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .filter(e -> e.getActivityTaskStartedEventAttributes().getScheduledEventId() == scheduledId)
        .findFirst();
    assertTrue(started.isPresent(), "DumpToRepository started");
    var attributes = started.get().getActivityTaskStartedEventAttributes();
    assertEquals(2, attributes.getAttempt(), "the attempt that completed the dump:\n" + attributes);
    // The embedded server does not record the first attempt's heartbeat timeout as last_failure; who ran
    // the second attempt shows what happened: the replacement worker, not the killed one.
    assertTrue(attributes.getIdentity().startsWith(replacementPid + "@"),
        "the replacement worker (pid " + replacementPid + ") ran the retry:\n" + attributes);
    assertTrue(events.stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        && e.getActivityTaskCompletedEventAttributes().getScheduledEventId() == scheduledId),
        "DumpToRepository completed");
  }

  /**
   * Polls `wal status app --json` until the archive has stored through {@code lsn}; returns its archive part.
   */
  public static JsonNode awaitArchived(LocalStack stack, LifeboatHome home, String lsn, CliProcess worker)
      throws InterruptedException {
    long want = WalNames.parseLsn(lsn);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode archive = null;
    while (System.nanoTime() < deadline) {
      archive = Outputs.json(InProcessCli.run("wal", "status", "app", "--json", "--address", stack.address(),
          "--config", home.config().toString())).get("archive");
      if (!archive.get("archivedLsn").isNull() && WalNames.parseLsn(archive.get("archivedLsn").asText()) >= want) {
        return archive;
      }
      assertTrue(worker.process().isAlive(), "worker died:\n" + worker.output());
      Thread.sleep(300);
    }
    throw new AssertionError("the archive never reached " + lsn + ": " + archive + "\n" + worker.output());
  }

  /** The workflow's result; on a failure or timeout, the error with its history and the worker's output. */
  public static <T> T resultOrHistory(WorkflowClient client, String id, Class<T> type, Duration timeout,
      CliProcess worker) {
    try {
      return client.newUntypedWorkflowStub(id).getResult(timeout.toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS, type);
    } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e.getMessage() + "\nhistory:\n" + eventSummary(client, id) + "\nworker:\n"
          + worker.output(), e);
    }
  }

  /**
   * The started event of the attempt of step {@code type} that the history kept: a retried activity's history
   * holds only its last attempt's, with the attempt number, who ran it and the failure before it.
   */
  public static io.temporal.api.history.v1.ActivityTaskStartedEventAttributes lastAttempt(List<HistoryEvent> events,
      String type) {
    return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .filter(e -> activityType(events, e.getActivityTaskStartedEventAttributes().getScheduledEventId())
            .equals(type))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(type + " never started"))
        .getActivityTaskStartedEventAttributes();
  }
}
