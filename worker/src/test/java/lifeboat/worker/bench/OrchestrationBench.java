package lifeboat.worker.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import lifeboat.worker.EmbeddedTemporal;

/**
 * Orchestration overhead, by hand (bench/orchestration.sh; never in CI): a workflow of ten no-op activities, end
 * to end from the client's start to its result, many times, against a server at ADDRESS or the in-memory one.
 * Prints the median, p90 and min in milliseconds. Sticky execution on for a real server, off for the in-memory
 * one, as Lifeboat's workers run.
 *
 * <p>Usage: OrchestrationBench memory|ADDRESS RUNS
 */
public final class OrchestrationBench {
  @ActivityInterface
  public interface Noop {
    @ActivityMethod(name = "Noop")
    int noop(int i);
  }

  @WorkflowInterface
  public interface TenSteps {
    @WorkflowMethod
    int run();
  }

  public static final class TenStepsImpl implements TenSteps {
    private final Noop noop = Workflow.newActivityStub(Noop.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public int run() {
      int sum = 0;
      for (int i = 0; i < 10; i++) {
        sum += noop.noop(i);
      }
      return sum;
    }
  }

  public static void main(String[] args) throws Exception {
    boolean memory = args[0].equals("memory");
    int runs = Integer.parseInt(args[1]);
    EmbeddedTemporal embedded = memory ? EmbeddedTemporal.start(freePort()) : null;
    String address = memory ? embedded.address() : args[0];
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    String queue = "orchestration-bench";
    WorkerOptions options = WorkerOptions.newBuilder()
        .setStickyQueueScheduleToStartTimeout(memory ? Duration.ZERO : Duration.ofSeconds(5)).build();
    var worker = factory.newWorker(queue, options);
    worker.registerWorkflowImplementationTypes(TenStepsImpl.class);
    worker.registerActivitiesImplementations((Noop) i -> i);
    factory.start();
    for (int i = 0; i < 20; i++) { // warm-up: class loading, JIT, connections
      once(client, queue);
    }
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      millis.add(once(client, queue));
    }
    Collections.sort(millis);
    System.out.printf("%s: %d runs of ten no-op activities: median %.1f ms, p90 %.1f ms, min %.1f ms%n",
        memory ? "in-memory server" : "real server " + address, runs, millis.get(runs / 2),
        millis.get((int) (runs * 0.9)), millis.get(0));
    factory.shutdownNow();
    service.shutdownNow();
    if (embedded != null) {
      embedded.close();
    }
  }

  private static double once(WorkflowClient client, String queue) {
    TenSteps wf = client.newWorkflowStub(TenSteps.class, WorkflowOptions.newBuilder().setTaskQueue(queue)
        .setWorkflowId("bench-" + System.nanoTime()).build());
    long t0 = System.nanoTime();
    wf.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static int freePort() throws java.io.IOException {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
