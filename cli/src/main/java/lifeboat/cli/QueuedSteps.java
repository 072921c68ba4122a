package lifeboat.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import lifeboat.workflows.TaskQueues;

/**
 * The steps of a workflow that are queued but not started, and whether any worker polls their queue: a restore
 * started while no restore worker runs waits, and `status` says for which queue and which kind of worker.
 */
final class QueuedSteps {
  private QueuedSteps() {}

  /** One line per queued step: what waits, on which queue, since when, and who polls it. */
  static List<String> describe(Temporal t, String namespace, String workflowId,
      DescribeWorkflowExecutionResponse described) {
    List<String> lines = new ArrayList<>();
    List<HistoryEvent> history = null;
    for (PendingActivityInfo activity : described.getPendingActivitiesList()) {
      if (activity.getState() != PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED || Retries.inBackoff(activity)) {
        continue; // a step waiting out its retry backoff is shown with its error (Retries), not as queued
      }
      if (history == null) {
        history = t.client().fetchHistory(workflowId).getEvents();
      }
      String type = activity.getActivityType().getName();
      String queue = queueOf(history, activity.getActivityId(), type);
      Instant since = Instant.ofEpochSecond(activity.getScheduledTime().getSeconds());
      int pollers = pollers(t, namespace, queue);
      String role = TaskQueues.roleOf(queue);
      if (pollers == 0) {
        lines.add(">>> WAITING FOR A WORKER: " + type + " is queued on " + queue + " since " + since
            + " and no worker polls it. HINT: start a worker of role " + role
            + (role.startsWith("restore") ? " (lifeboat worker --role restore, on a host with the private key)"
                : role.equals("backup") ? " (lifeboat worker --role backup)" : " (lifeboat worker)"));
      } else if (pollers > 0) {
        lines.add("queued: " + type + " on " + queue + " since " + since + " (" + pollers
            + " worker(s) of role " + role + " poll it)");
      } else {
        lines.add("queued: " + type + " on " + queue + " (role " + role + ") since " + since);
      }
    }
    return lines;
  }

  /** The queue the step was scheduled on, from its history event; the role table for an unmatched one. */
  private static String queueOf(List<HistoryEvent> history, String activityId, String type) {
    for (HistoryEvent e : history) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes().getActivityId().equals(activityId)) {
        return e.getActivityTaskScheduledEventAttributes().getTaskQueue().getName();
      }
    }
    return TaskQueues.forStep(type);
  }

  /** Activity pollers of {@code queue} seen lately; -1 where the server cannot say (the in-memory one). */
  private static int pollers(Temporal t, String namespace, String queue) {
    try {
      return t.service().blockingStub().describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
              .setNamespace(namespace)
              .setTaskQueue(TaskQueue.newBuilder().setName(queue))
              .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
              .build())
          .getPollersCount();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return -1;
      }
      throw e;
    }
  }
}
