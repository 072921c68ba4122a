package lifeboat.worker;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Puts faults in front of the real activity implementations, for tests of a workflow's failure branches: the
 * Nth call of one activity type (its Temporal name, "DiscardBackup") fails, or stalls until it is cancelled;
 * every other call runs the real step. Pass it to {@code LifeboatWorker.register(factory, workspace, faults)}
 * once its faults are set: only implementations with a faulty step are wrapped, and calls counted.
 *
 * <pre>
 *   FaultInjection faults = new FaultInjection()
 *       .fail("DumpToRepository", 1, () -&gt; ApplicationFailure.newNonRetryableFailure("disk full", "DUMP_FAILED"))
 *       .stall("RestoreIntoTarget", 1);
 * </pre>
 *
 * Calls are counted per type across all the worker's queues, attempts included: a retried step's second
 * attempt is call 2.
 */
final class FaultInjection implements UnaryOperator<Object> {
  /** How long a stalled call waits for its cancellation before it gives up (a test that never cancels). */
  private static final Duration STALL_LIMIT = Duration.ofMinutes(2);

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();

  private record Fault(int fromCall, int toCall, Supplier<? extends RuntimeException> failure) {
    boolean covers(int call) {
      return call >= fromCall && call <= toCall;
    }
  }

  /** Call {@code nth} of {@code activityType} throws {@code failure} instead of running. */
  FaultInjection fail(String activityType, int nth, Supplier<? extends RuntimeException> failure) {
    add(activityType, new Fault(nth, nth, failure));
    return this;
  }

  /** Call {@code nth} and every later call of {@code activityType} throw {@code failure}: a step that stays broken. */
  FaultInjection failFrom(String activityType, int nth, Supplier<? extends RuntimeException> failure) {
    add(activityType, new Fault(nth, Integer.MAX_VALUE, failure));
    return this;
  }

  /**
   * Call {@code nth} of {@code activityType} heartbeats without doing anything until the workflow cancels it
   * (then it ends as cancelled): a slow step held at a known point.
   */
  FaultInjection stall(String activityType, int nth) {
    add(activityType, new Fault(nth, nth, null));
    return this;
  }

  private void add(String activityType, Fault fault) {
    faults.computeIfAbsent(activityType, t -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(fault);
  }

  /** How many times {@code activityType} was called so far, faulty calls included. */
  int calls(String activityType) {
    AtomicInteger n = calls.get(activityType);
    return n == null ? 0 : n.get();
  }

  @Override
  public Object apply(Object implementation) {
    Class<?>[] interfaces = ActivityTypes.interfacesOf(implementation);
    // Only an implementation with a faulty step is wrapped: the others stay exactly as in production.
    boolean faulty = java.util.Arrays.stream(interfaces).flatMap(i -> java.util.Arrays.stream(i.getMethods()))
        .anyMatch(m -> faults.containsKey(ActivityTypes.typeOf(m)));
    if (!faulty) {
      return implementation;
    }
    InvocationHandler handler = (proxy, method, args) -> invoke(implementation, method, args);
    return Proxy.newProxyInstance(implementation.getClass().getClassLoader(),
        interfaces, handler);
  }

  private Object invoke(Object implementation, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(implementation, args);
    }
    String type = ActivityTypes.typeOf(method);
    int call = calls.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
    Fault fault = faults.getOrDefault(type, List.of()).stream().filter(f -> f.covers(call)).findFirst().orElse(null);
    if (fault != null) {
      if (fault.failure() == null) {
        stallUntilCancelled(type);
      }
      throw fault.failure().get();
    }
    try {
      return method.invoke(implementation, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void stallUntilCancelled(String type) throws InterruptedException {
    long deadline = System.nanoTime() + STALL_LIMIT.toNanos();
    var context = Activity.getExecutionContext();
    while (System.nanoTime() < deadline) {
      try {
        context.heartbeat(null);
      } catch (ActivityCompletionException cancelled) {
        throw cancelled; // the SDK reports the attempt as cancelled
      }
      Thread.sleep(200);
    }
    throw new AssertionError(type + " was stalled by FaultInjection and never cancelled");
  }
}
