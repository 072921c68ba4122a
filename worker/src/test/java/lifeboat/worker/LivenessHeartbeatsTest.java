package lifeboat.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step that cannot heartbeat and runs past its heartbeat timeout on a live worker: with the worker's liveness
 * heartbeat it completes on its first attempt; without it the server gives up on it as if the worker had died.
 * (That a dead worker's short step is retried within the heartbeat timeout is WorkerKillTest's, on real
 * processes.) Time skipping is off: the heartbeat timeout must run on the wall clock the heartbeats keep.
 */
class LivenessHeartbeatsTest {
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration STEP_TAKES = Duration.ofSeconds(5);

  @ActivityInterface
  public interface SlowStep {
    @ActivityMethod(name = "SlowStep")
    String run();
  }

  @ActivityInterface
  public interface ProgressStep {
    @ActivityMethod(name = "ProgressStep")
    String report();
  }

  @WorkflowInterface
  public interface OneStep {
    @WorkflowMethod
    String run(String step);
  }

  public static final class OneStepImpl implements OneStep {
    private final ActivityOptions options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();

    @Override
    public String run(String step) {
      return step.equals("slow") ? Workflow.newActivityStub(SlowStep.class, options).run()
          : Workflow.newActivityStub(ProgressStep.class, options).report();
    }
  }

  static final class Sleeper implements SlowStep, ProgressStep {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String run() {
      calls.incrementAndGet();
      try {
        Thread.sleep(STEP_TAKES.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return "done";
    }

    @Override
    public String report() {
      return run();
    }
  }

  private TestWorkflowEnvironment env;

  @AfterEach
  void close() {
    env.close();
  }

  private String runOn(Object implementation, String step) {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker("liveness");
    worker.registerWorkflowImplementationTypes(OneStepImpl.class);
    worker.registerActivitiesImplementations(implementation);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(OneStep.class,
        WorkflowOptions.newBuilder().setTaskQueue("liveness").build()).run(step);
  }

  @Test
  void aSlowStepOnALiveWorkerCompletesOnItsFirstAttempt() {
    Sleeper step = new Sleeper();
    assertEquals("done", runOn(new LivenessHeartbeats(Set.of(), Duration.ofMillis(300)).apply(step), "slow"));
    assertEquals(1, step.calls.get());
  }

  @Test
  void withoutTheLivenessHeartbeatTheSameStepTimesOut() {
    assertHeartbeatTimeout(() -> runOn(new Sleeper(), "slow"));
  }

  @Test
  void aStepThatHeartbeatsItselfIsLeftAlone() {
    // ProgressStep is named as one that heartbeats by itself; this one does not, so it times out.
    Sleeper step = new Sleeper();
    assertHeartbeatTimeout(() ->
        runOn(new LivenessHeartbeats(Set.of("ProgressStep"), Duration.ofMillis(300)).apply(step), "progress"));
  }

  private static void assertHeartbeatTimeout(Runnable run) {
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, run::run);
    ActivityFailure activity = assertInstanceOf(ActivityFailure.class, failed.getCause());
    TimeoutFailure timeout = assertInstanceOf(TimeoutFailure.class, activity.getCause());
    assertEquals(TimeoutType.TIMEOUT_TYPE_HEARTBEAT, timeout.getTimeoutType());
  }
}
