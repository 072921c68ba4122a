package lifeboat.workflows.failover;

/**
 * @param type      pgbouncer | env-file | route53
 * @param target    what was rewritten: the ini and its entry, the env file and variable, the zone and record
 * @param previous  the value before (host=... port=..., the URL without password, the record's value)
 * @param current   the value now
 * @param changed   false when it already pointed at the new primary (a retry): nothing written
 * @param verified  how the change was confirmed (SHOW DATABASES row, file read back, change id INSYNC/PENDING)
 */
public record RepointResult(String type, String target, String previous, String current, boolean changed,
    String verified) {}
