package lifeboat.activities.timeline;

import java.nio.charset.StandardCharsets;
import lifeboat.activities.config.Config;
import lifeboat.activities.repository.Repositories;
import lifeboat.activities.repository.Repository;
import lifeboat.activities.support.Activities;
import lifeboat.activities.support.Workspace;
import lifeboat.workflows.activities.TimelineActivities;

/** Incident timelines under {@code timelines/<database>/}, in the database's repository. */
public class TimelineActivitiesImpl implements TimelineActivities {
  private final Workspace workspace;

  public TimelineActivitiesImpl(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public String writeTimeline(String database, String name, String markdown) {
    return Activities.guard(() -> {
      Config cfg = workspace.config();
      Repository repo = workspace.repository(cfg, cfg.database(database).repository());
      String key = "timelines/" + database + "/" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".md";
      Repositories.putSmall(repo, key, markdown.getBytes(StandardCharsets.UTF_8));
      return repo.locate(key);
    });
  }
}
