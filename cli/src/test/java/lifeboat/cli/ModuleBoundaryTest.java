package lifeboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI starts, signals, queries and lists; it never runs a step. It reaches the activities module only
 * through the worker's facades (WorkerHost, HistoryEncryption, ConfiguredDatabases, DemoCluster).
 */
class ModuleBoundaryTest {
  private static final Path SOURCES = Path.of("src/main/java");

  @Test
  void noCliSourceImportsTheActivitiesModule() throws IOException {
    assertTrue(sourcesMentioning("lifeboat.cli.").size() > 50, "the scan found the sources");
    assertEquals(List.of(), sourcesMentioning("lifeboat.activities."));
  }

  private static List<String> sourcesMentioning(String text) throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return Files.readString(p).contains(text);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(p -> SOURCES.relativize(p).toString()).sorted().toList();
    }
  }
}
