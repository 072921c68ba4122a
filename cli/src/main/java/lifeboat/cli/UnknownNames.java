package lifeboat.cli;

import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import java.util.Set;

/**
 * Failures of a workflow that mean the command line named something the worker does not have, such as
 * `backup run nosuchdb`. Only the worker knows its lifeboat.yaml, so the CLI learns it from the failure; it is
 * still the user's input that is wrong, so the exit is 2 (invalid input), not 1 (a workflow that ran and failed).
 */
final class UnknownNames {
  /** Failure types (ErrorCode names) that mean "no such name"; their message lists the names there are. */
  private static final Set<String> TYPES = Set.of("UNKNOWN_DATABASE");

  private UnknownNames() {}

  /** The failure in {@code e}'s cause chain that says a name is unknown, if there is one. */
  static Optional<ApplicationFailure> in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApplicationFailure af && TYPES.contains(af.getType())) {
        return Optional.of(af);
      }
    }
    return Optional.empty();
  }
}
