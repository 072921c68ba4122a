package lifeboat.workflows.migration;

/**
 * @param clean   the schema is what the migrator expects (Flyway: nothing pending, validate passes; a check
 *                command: exit 0)
 * @param detail  what differs, in words
 */
public record SchemaCheck(boolean clean, String detail) {}
