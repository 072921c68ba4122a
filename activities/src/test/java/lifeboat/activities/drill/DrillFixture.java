package lifeboat.activities.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import lifeboat.activities.support.Metrics;
import lifeboat.activities.support.Workspace;
import lifeboat.activities.testing.PgCluster;
import lifeboat.workflows.drill.ThrowawayTarget;

/**
 * A worker's view for drill tests: lifeboat.yaml with a postgres database {@code app} on a real cluster (its
 * password in a file), a SQLite database {@code lite}, a filesystem repository, and a drill folder under /tmp
 * that the postgres OS user can reach (JUnit's @TempDir is 0700).
 */
final class DrillFixture implements AutoCloseable {
  final Path dir;
  final Path drillFolder;
  final Workspace workspace;
  final DrillActivitiesImpl drills;

  DrillFixture(Path dir, PgCluster pg, Metrics metrics) throws IOException {
    this(dir, pg.url("postgres"), pg.password(), metrics);
  }

  /** With a database {@code app} that is never connected to (reports, history, notices). */
  DrillFixture(Path dir, String pgUrl, String pgPassword, Metrics metrics) throws IOException {
    this.dir = dir;
    this.drillFolder = Path.of("/tmp", "lifeboat-drill-test-" + UUID.randomUUID().toString().substring(0, 8));
    Files.writeString(dir.resolve("pgpass.txt"), pgPassword + "\n");
    Files.writeString(dir.resolve("lifeboat.yaml"), """
        repositories:
          local: { type: filesystem, path: repo }
        alerts:
          webhook: file:webhook.txt
        databases:
          app: { engine: postgres, url: "%s", password: file:pgpass.txt, repository: local, encryption: none }
          lite: { engine: sqlite, path: lite.db, repository: local, encryption: none }
        """.formatted(pgUrl));
    this.workspace = Workspace.fromFile(dir.resolve("lifeboat.yaml"), metrics);
    this.drills = new DrillActivitiesImpl(workspace, drillFolder);
  }

  @Override
  public void close() throws IOException {
    if (Files.exists(drillFolder)) {
      // a test that failed half-way may leave a running cluster: stop it the way a drill would
      try (Stream<Path> dirs = Files.list(drillFolder)) {
        for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
          String name = d.getFileName().toString();
          drills.teardown(new ThrowawayTarget("cleanup", "app", "postgres", ThrowawayTarget.CLUSTER, name,
              d.toString(), null, null, null, null));
        }
      }
      try (Stream<Path> all = Files.walk(drillFolder)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
