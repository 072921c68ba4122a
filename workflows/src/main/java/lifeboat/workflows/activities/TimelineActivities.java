package lifeboat.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Keeps incident timelines beside the database's backups. */
@ActivityInterface
public interface TimelineActivities {

  /** Writes {@code timelines/<database>/<name>.md} into the database's repository; returns where. */
  @ActivityMethod(name = "WriteTimeline")
  String writeTimeline(String database, String name, String markdown);
}
