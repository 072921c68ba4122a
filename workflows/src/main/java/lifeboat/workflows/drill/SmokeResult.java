package lifeboat.workflows.drill;

/**
 * @param actual  what the query returned (first column of the first row), or the probe's read-back
 * @param detail  why it failed, in words (the SQL error, or "expected > 0, got 0")
 */
public record SmokeResult(String name, boolean passed, String expect, String actual, String detail) {}
