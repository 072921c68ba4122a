package lifeboat.workflows.model;

/**
 * The one rule for a secret in a runbook, a configuration or a command's option: a reference (env:NAME or
 * file:PATH), never the value itself, which would otherwise be stored in workflow history. Both the CLI's checks
 * and the worker's resolver use it.
 */
public final class SecretReferences {
  private SecretReferences() {}

  public static boolean isReference(String value) {
    return value != null && (value.startsWith("env:") || value.startsWith("file:"));
  }

  /** Null (no secret) or a reference passes; anything else is the secret itself. */
  public static boolean isAbsentOrReference(String value) {
    return value == null || isReference(value);
  }

  /** What to say about {@code field} holding a literal: the same words everywhere. */
  public static String literalProblem(String field) {
    return "field '" + field + "': a secret reference (env:NAME or file:PATH), never the password itself";
  }
}
