package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;
import lifeboat.workflows.runbook.FailoverEndpoint;

/** The steps of a database's WAL archive (docs/pitr.md). */
@ActivityInterface
public interface WalActivities {

  /**
   * Streams the database's WAL into its repository for {@code runForMillis}, from its replication slot (made
   * if missing), confirming to the server only what is stored; heartbeats meanwhile. A cancelled run stores the
   * segment being written as far as it got before it ends.
   */
  @ActivityMethod(name = "StreamWal")
  WalStreamResult streamWal(String database, long runForMillis);

  /** What the archive holds, its gaps, and how far behind the server and its slot it is. */
  @ActivityMethod(name = "ReadWalStatus")
  WalStatus readWalStatus(String database);

  /**
   * After a failover promoted {@code newPrimary}: records it as the server the database's WAL archive, base
   * backups and restore points go to from now on ({@code wal/<db>/follow.json}), so the archive follows it onto
   * its new timeline. Says what it did; a database without a WAL archive is left alone, and said so.
   */
  @ActivityMethod(name = "FollowNewPrimary")
  String followNewPrimary(String database, FailoverEndpoint newPrimary, String reason);
}
