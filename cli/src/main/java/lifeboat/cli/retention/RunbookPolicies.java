package lifeboat.cli.retention;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import lifeboat.workflows.runbook.Runbook;

/**
 * Finds the retention policy of a database's backup runbook. A stop-gap reader, tolerant of fields it does not
 * know; the full runbook loader replaces it.
 */
final class RunbookPolicies {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RunbookPolicies() {}

  /**
   * The backup runbook of {@code database} in {@code dir}, or null when there is none.
   *
   * @throws IllegalArgumentException when a runbook cannot be read (a policy silently replaced by the defaults
   *                                  could delete more than its author meant), or two runbooks match
   */
  static Match find(Path dir, String database) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    List<Match> matches = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(RunbookPolicies::isYaml).sorted().toList()) {
        Runbook rb = read(f);
        if (rb != null && Runbook.KIND_BACKUP.equals(rb.kind()) && database.equals(rb.database())) {
          matches.add(new Match(f, rb));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the runbooks in " + dir + ": " + e.getMessage());
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException("several backup runbooks for " + database + ": "
          + matches.stream().map(m -> m.file().getFileName().toString()).toList());
    }
    return matches.isEmpty() ? null : matches.get(0);
  }

  private static boolean isYaml(Path f) {
    String name = f.getFileName().toString();
    return Files.isRegularFile(f) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  private static Runbook read(Path f) {
    try {
      return YAML.readValue(f.toFile(), Runbook.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("runbook " + f + " is unreadable: " + e.getMessage().lines().findFirst()
          .orElse(""));
    }
  }

  record Match(Path file, Runbook runbook) {}
}
