package lifeboat.cli.runbook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lifeboat.workflows.runbook.YamlErrors;
import lifeboat.cli.WorkflowIds;
import lifeboat.workflows.runbook.Runbook;
import lifeboat.workflows.runbook.ScheduleSpec;
import lifeboat.workflows.schedule.CronSchedule;
import lifeboat.workflows.schedule.RunbookKinds;

/**
 * Reads runbooks/*.yaml strictly, one runbook per file. Every problem is one line naming the file, the line
 * and the field, and all of a folder's problems are reported at once.
 */
public final class RunbookLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** What a folder holds: the runbooks that loaded, and one line per problem. */
  public record Loaded(List<Runbook> runbooks, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }

    public List<Runbook> scheduled() {
      return runbooks.stream().filter(r -> r.schedule() != null).toList();
    }

    /** The runbooks, or an IllegalArgumentException (exit 2) listing every problem. */
    public List<Runbook> orThrow() {
      if (!ok()) {
        throw new IllegalArgumentException("invalid runbooks:\n  " + String.join("\n  ", problems));
      }
      return runbooks;
    }
  }

  private RunbookLoader() {}

  public static Loaded loadDirectory(Path dir) {
    return loadDirectory(dir, null);
  }

  /**
   * As {@link #loadDirectory(Path)}, and a runbook for a database not among {@code configured} (lifeboat.yaml's)
   * is a problem too; null when no configuration is at hand.
   */
  public static Loaded loadDirectory(Path dir, List<String> configured) {
    if (!Files.isDirectory(dir)) {
      return new Loaded(List.of(), List.of(dir + ": not a folder of runbooks"));
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      return new Loaded(List.of(), List.of(dir + ": cannot list: " + e.getMessage()));
    }
    List<Runbook> runbooks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Path> names = new HashMap<>();
    for (Path file : files) {
      Runbook runbook = load(file, problems, configured);
      if (runbook == null) {
        continue;
      }
      Path other = names.putIfAbsent(runbook.name(), file);
      if (other != null) {
        problems.add(file.getFileName() + ": runbook name '" + runbook.name() + "' is also used by "
            + other.getFileName());
      } else {
        runbooks.add(runbook);
      }
    }
    return new Loaded(List.copyOf(runbooks), List.copyOf(problems));
  }

  /**
   * A runbook named on the command line: a path to a .yaml file, or a runbook name looked up in {@code dir}.
   * Throws IllegalArgumentException (exit 2) with every problem.
   */
  public static Runbook find(String nameOrFile, Path dir) {
    Path file = Path.of(nameOrFile);
    if (nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml")) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no runbook file " + file);
      }
      List<String> problems = new ArrayList<>();
      Runbook runbook = load(file, problems);
      if (runbook == null) {
        throw new IllegalArgumentException("invalid runbook:\n  " + String.join("\n  ", problems));
      }
      return runbook;
    }
    // Another file's problem does not stop this runbook: at 3 a.m. the drill or rollback must still start.
    Loaded loaded = loadDirectory(dir);
    return loaded.runbooks().stream().filter(r -> r.name().equals(nameOrFile)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no valid runbook named '" + nameOrFile + "' in " + dir
            + " (valid there: " + String.join(", ", loaded.runbooks().stream().map(Runbook::name).toList()) + ")"
            + (loaded.ok() ? "" : "\n  " + String.join("\n  ", loaded.problems()))));
  }

  /** One file; adds its problems and returns null when there are any. */
  static Runbook load(Path file, List<String> problems) {
    return load(file, problems, null);
  }

  private static Runbook load(Path file, List<String> problems, List<String> configured) {
    String fileName = file.getFileName().toString();
    int before = problems.size();
    Map<String, Integer> lines = fieldLines(file);
    // A missing field is reported at its section's line (migrator.locations absent: the migrator line).
    Function<String, String> at = field -> fileName + " line " + lineOf(lines, field) + ": ";
    Runbook raw;
    try {
      raw = YAML.readValue(Files.readString(file), Runbook.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(String::valueOf)
          .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
      problems.add(at.apply(path(e)) + "unknown field '" + path(e) + "' (known fields there: " + known + ")");
      return null;
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException parse) {
        problems.add(syntax(fileName, parse));
      } else {
        problems.add(at.apply(path(e)) + "field '" + path(e) + "': " + YamlErrors.wrongValue(e));
      }
      return null;
    } catch (JsonProcessingException e) {
      problems.add(syntax(fileName, e));
      return null;
    } catch (IOException e) {
      problems.add(fileName + ": cannot read: " + e.getMessage());
      return null;
    }
    if (raw == null) {
      problems.add(fileName + " line 1: empty runbook (needs at least kind and database)");
      return null;
    }
    String name = raw.name() != null ? raw.name() : fileName.replaceFirst("\\.ya?ml$", "");
    check(problems, at.apply("name") + "field 'name': ", () -> WorkflowIds.requireName(name));
    if (raw.kind() == null) {
      problems.add(at.apply("kind") + "field 'kind' is required (one of " + new TreeSet<>(RunbookKinds.KNOWN) + ")");
    } else if (!RunbookKinds.KNOWN.contains(raw.kind())) {
      problems.add(at.apply("kind") + "field 'kind': unknown kind '" + raw.kind() + "' (one of "
          + new TreeSet<>(RunbookKinds.KNOWN) + ")");
    }
    if (raw.database() == null) {
      if (!Runbook.KIND_CHECK.equals(raw.kind())) {
        problems.add(at.apply("database") + "field 'database' is required (a database of the worker's lifeboat.yaml)");
      }
    } else {
      check(problems, at.apply("database") + "field 'database': ", () -> WorkflowIds.requireName(raw.database()));
      if (configured != null && !configured.contains(raw.database())) {
        problems.add(at.apply("database") + "database '" + raw.database() + "' is not in lifeboat.yaml"
            + " [RUNBOOK_INVALID] HINT: " + (configured.isEmpty() ? "lifeboat.yaml configures no databases"
                : "configured databases: " + String.join(", ", configured)));
      }
    }
    ScheduleSpec s = raw.schedule();
    if (s != null) {
      check(problems, at.apply("schedule.cron") + "field 'schedule.cron': ", () -> CronSchedule.cron(s.cron()));
      check(problems, at.apply("schedule.timeZone") + "field 'schedule.timeZone': ",
          () -> CronSchedule.zone(s.timeZone()));
      check(problems, at.apply("schedule.jitter") + "field 'schedule.jitter': ", () -> CronSchedule.jitter(s.jitter()));
    }
    if (problems.size() == before) {
      RunbookRules.check(raw, at, problems);
    }
    if (problems.size() > before) {
      return null;
    }
    return new Runbook(raw.kind(), name, raw.database(), s, raw.retention(), raw.alarms(), raw.restore(),
        raw.migrator(), raw.smoke(), raw.approval(), raw.failover());
  }

  /** A key given twice, or YAML that does not parse: one line, without snakeyaml's snippet. */
  private static String syntax(String fileName, JsonProcessingException e) {
    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    String key = YamlErrors.duplicateKey(e);
    return fileName + " line " + line + ": " + (key != null
        ? "'" + YamlErrors.duplicatePath(e, key) + "' is given twice (YAML would keep only the last one)"
        : "not valid YAML: " + YamlErrors.syntaxProblem(e));
  }

  private static int lineOf(Map<String, Integer> lines, String field) {
    // smoke[0].expect is keyed smoke.0.expect, as the parser's JSON pointer spells it
    for (String f = field.replace("[", ".").replace("]", ""); ; f = f.substring(0, f.lastIndexOf('.'))) {
      String prefix = f + ".";
      Integer line = lines.containsKey(f) ? lines.get(f) : lines.entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).min(Integer::compare).orElse(null);
      if (line != null) {
        return line; // the field's own line, or for a list item (smoke.0) the line of its first field
      }
      if (f.indexOf('.') < 0) {
        return 1;
      }
    }
  }

  private static void check(List<String> problems, String prefix, Runnable validation) {
    try {
      validation.run();
    } catch (IllegalArgumentException e) {
      problems.add(prefix + e.getMessage());
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  /**
   * The line of every field, keyed by its dotted path ("schedule.cron"). Read first and separately, because
   * Jackson reports a record's errors where the record ends, and our own checks need lines too.
   */
  private static Map<String, Integer> fieldLines(Path file) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.createParser(file.toFile())) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME) {
          JsonPointer pointer = p.getParsingContext().pathAsPointer();
          lines.putIfAbsent(pointer.toString().substring(1).replace('/', '.'), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException ignored) {
      // a syntax error is reported by the real read
    }
    return lines;
  }
}
