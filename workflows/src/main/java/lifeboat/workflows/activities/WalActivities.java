package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lifeboat.workflows.model.WalStatus;
import lifeboat.workflows.model.WalStreamResult;

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
}
