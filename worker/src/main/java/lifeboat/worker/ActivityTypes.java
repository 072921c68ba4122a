package lifeboat.worker;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

/** How Temporal sees an activity implementation: its activity interfaces and each method's activity type. */
final class ActivityTypes {
  private ActivityTypes() {}

  /** The {@code @ActivityInterface} interfaces {@code implementation} registers (a proxy's included). */
  static Class<?>[] interfacesOf(Object implementation) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> c = implementation.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.isAnnotationPresent(ActivityInterface.class)) {
          interfaces.add(i);
        }
      }
    }
    return interfaces.toArray(Class<?>[]::new);
  }

  /** The activity type Temporal registers the method under: its @ActivityMethod name, else Capitalized. */
  static String typeOf(Method method) {
    ActivityMethod named = method.getAnnotation(ActivityMethod.class);
    if (named != null && !named.name().isEmpty()) {
      return named.name();
    }
    return Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
  }
}
