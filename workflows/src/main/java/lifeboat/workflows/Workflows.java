package lifeboat.workflows;

import java.util.List;
import lifeboat.workflows.backup.BackupWorkflowImpl;
import lifeboat.workflows.catalog.ListBackupsWorkflowImpl;
import lifeboat.workflows.check.CheckWorkflowImpl;
import lifeboat.workflows.drill.DrillHistoryWorkflowImpl;
import lifeboat.workflows.failover.FailoverWorkflowImpl;
import lifeboat.workflows.drill.RestoreDrillWorkflowImpl;
import lifeboat.workflows.pitr.PointInTimeRestoreWorkflowImpl;
import lifeboat.workflows.premigration.PreMigrationBackupWorkflowImpl;
import lifeboat.workflows.restore.RestoreWorkflowImpl;
import lifeboat.workflows.retention.RetentionWorkflowImpl;
import lifeboat.workflows.schedule.ScheduleWorkflowImpl;
import lifeboat.workflows.wal.WalArchiveWorkflowImpl;
import lifeboat.workflows.wal.WalStatusWorkflowImpl;

/** Every workflow implementation a Lifeboat worker registers. */
public final class Workflows {
  public static final List<Class<?>> IMPLEMENTATIONS =
      List.of(BackupWorkflowImpl.class, RestoreWorkflowImpl.class, ListBackupsWorkflowImpl.class,
          RetentionWorkflowImpl.class,
          CheckWorkflowImpl.class,
          ScheduleWorkflowImpl.class,
          RestoreDrillWorkflowImpl.class,
          DrillHistoryWorkflowImpl.class,
          PreMigrationBackupWorkflowImpl.class,
          FailoverWorkflowImpl.class,
          WalArchiveWorkflowImpl.class,
          WalStatusWorkflowImpl.class,
          PointInTimeRestoreWorkflowImpl.class,
          lifeboat.workflows.drill.PitrDrillWorkflowImpl.class,
          lifeboat.workflows.pitr.RestorePointWorkflowImpl.class);

  private Workflows() {}
}
