package lifeboat.workflows.pitr;

import java.util.List;

/**
 * What a restore to a moment will do, decided before anything is written.
 *
 * @param backupId       the base backup it starts from
 * @param backupObject   its object key; {@code encrypted} whether it is sealed with OpenPGP
 * @param walKeys        the archive objects to fetch, in order (full segments, then the newest partial one, and
 *                       timeline history files); empty for a backup whose WAL is inside it
 * @param firstSegment   the first and last segment of the range, for the report
 * @param settings       the recovery settings written into the new cluster (target, restore_command)
 * @param taskQueue      the queue of the worker host that plans it: every later step runs there, where DIR is
 * @param archivedAt     when the archive's newest WAL was stored (ISO-8601), or null
 * @param throwaway      a drill's cluster: its teardown removes DIR itself, not only what is in it
 */
public record RecoveryPlan(String database, String backupId, String backupObject, boolean encrypted,
    List<String> walKeys, String firstSegment, String lastSegment, List<String> settings, String target,
    String dir, int port, String taskQueue, String archivedAt, boolean targetTime, boolean throwaway) {}
