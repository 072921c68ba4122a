package lifeboat.workflows.migration;

/**
 * @param migrator  "flyway" or the command that ran
 * @param applied   migrations applied (Flyway), -1 when a command does not say
 * @param output    the last lines of its output, passwords redacted
 */
public record MigrationResult(String migrator, int applied, String output, long millis) {}
