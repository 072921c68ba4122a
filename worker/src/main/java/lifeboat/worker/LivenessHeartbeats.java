package lifeboat.worker;

import io.temporal.activity.Activity;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A heartbeat from the worker itself, every few seconds, while a short step runs: the steps that cannot report
 * progress (a promotion, a teardown, a smoke check's one long query). With it every step has a heartbeat
 * timeout, so the server re-queues the step of a worker that died within that timeout rather than after the
 * step's whole start-to-close timeout (5 min for a promotion or a teardown, 30 min for the smoke checks), and a
 * live worker's slow step is never mistaken for a dead one.
 *
 * <p>The steps in {@code selfHeartbeating} are left alone: they heartbeat their byte progress as details, which
 * `lifeboat status` shows, and a detail-less heartbeat here would replace them. A heartbeat that fails (the
 * step was cancelled or timed out on the server) only stops these heartbeats: a short step runs to its end
 * as it did before, and the server drops a result it no longer wants.
 */
final class LivenessHeartbeats implements UnaryOperator<Object> {
  /** Well under the 30 s heartbeat timeout; the SDK sends at most one heartbeat per 80% of it anyway. */
  static final Duration EVERY = Duration.ofSeconds(3);

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lifeboat-liveness-heartbeat");
    t.setDaemon(true);
    return t;
  });

  private final Set<String> selfHeartbeating;
  private final long everyMillis;

  LivenessHeartbeats(Set<String> selfHeartbeating, Duration every) {
    this.selfHeartbeating = Set.copyOf(selfHeartbeating);
    this.everyMillis = every.toMillis();
  }

  @Override
  public Object apply(Object implementation) {
    Class<?>[] interfaces = ActivityTypes.interfacesOf(implementation);
    boolean covers = Arrays.stream(interfaces).flatMap(i -> Arrays.stream(i.getMethods()))
        .anyMatch(m -> !selfHeartbeating.contains(ActivityTypes.typeOf(m)));
    if (!covers) {
      return implementation;
    }
    InvocationHandler handler = (proxy, method, args) -> invoke(implementation, method, args);
    return Proxy.newProxyInstance(implementation.getClass().getClassLoader(), interfaces, handler);
  }

  private Object invoke(Object implementation, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class || selfHeartbeating.contains(ActivityTypes.typeOf(method))) {
      return call(implementation, method, args);
    }
    var context = Activity.getExecutionContext();
    // A scheduled task that throws is never run again: a failed heartbeat ends the schedule by rethrowing.
    ScheduledFuture<?> beat = TIMER.scheduleWithFixedDelay(() -> context.heartbeat(null),
        everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    try {
      return call(implementation, method, args);
    } finally {
      beat.cancel(false);
    }
  }

  private static Object call(Object implementation, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(implementation, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
