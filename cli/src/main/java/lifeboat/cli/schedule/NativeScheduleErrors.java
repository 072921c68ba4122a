package lifeboat.cli.schedule;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;
import lifeboat.workflows.SearchAttributes;

/** What a real server's refusal of a schedule means, as one line with a stable code and a HINT. */
final class NativeScheduleErrors {
  private NativeScheduleErrors() {}

  /**
   * {@code e} as the CLI should say it: unregistered search attributes (a cluster nobody prepared) name the
   * commands that register them; another refusal names the runbook's schedule; anything else stays as it is.
   */
  static RuntimeException refused(String id, RuntimeException e) {
    StatusRuntimeException refused = status(e, Status.Code.INVALID_ARGUMENT);
    if (refused == null) {
      return e;
    }
    String why = refused.getStatus().getDescription();
    if (why != null && why.toLowerCase(Locale.ROOT).contains("search attribute")) {
      return new IllegalArgumentException("SEARCH_ATTRIBUTES_MISSING: the server refused schedule " + id + ": " + why
          + " HINT: register Lifeboat's search attributes once per namespace: "
          + new TreeMap<>(SearchAttributes.TYPES).entrySet().stream()
              .map(a -> "temporal operator search-attribute create --name " + a.getKey() + " --type " + a.getValue())
              .collect(Collectors.joining("; ")));
    }
    return new IllegalArgumentException("SCHEDULE_REFUSED: the server refused schedule " + id + ": " + why
        + " HINT: check the runbook's schedule (cron, timeZone, jitter) with `lifeboat runbook validate`");
  }

  /** The gRPC error with {@code code} in {@code e}'s causes (the schedule client wraps them), or null. */
  static StatusRuntimeException status(Throwable e, Status.Code code) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StatusRuntimeException s && s.getStatus().getCode() == code) {
        return s;
      }
    }
    return null;
  }
}
