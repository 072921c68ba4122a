package lifeboat.activities.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;
import lifeboat.workflows.runbook.YamlErrors;
import lifeboat.workflows.model.DatabaseNames;

/**
 * Reads lifeboat.yaml strictly: an unknown field, a key given twice, a value of the wrong type or a database
 * name the CLI would refuse is one CONFIG_INVALID line naming the field and its line.
 */
public final class ConfigLoader {
  // Duplicate keys are refused: YAML lets the last one win, so a second `app:` would silently replace the first.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ConfigLoader() {}

  public static Config load(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    String name = String.valueOf(absolute.getFileName());
    LifeboatConfig raw;
    try {
      String text = Files.readString(absolute);
      if (isEmpty(text)) {
        throw new LifeboatException(ErrorCode.CONFIG_INVALID, name + " is empty: " + absolute,
            "it needs at least repositories: and databases: (docs/configuration.md has an example)");
      }
      raw = YAML.readValue(text, LifeboatConfig.class);
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "configuration file not found: " + absolute,
          "pass --config PATH or set LIFEBOAT_CONFIG");
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          name + " line " + line(absolute, e) + ": unknown field '" + e.getPropertyName() + "' at "
              + YamlErrors.path(e), "known fields there: " + known);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonParseException parse) {
        // The parser's error, wrapped by databind on its way out of a map or record: said as the parser's.
        throw parseError(name, absolute, parse, YamlErrors.path(e));
      }
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          name + " line " + line(absolute, e) + ": " + YamlErrors.path(e) + ": " + YamlErrors.wrongValue(e),
          "see docs/configuration.md for what " + YamlErrors.path(e) + " takes");
    } catch (JsonParseException e) {
      throw parseError(name, absolute, e, "");
    } catch (JsonProcessingException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          name + " line " + line(absolute, e) + ": not valid YAML: " + YamlErrors.syntaxProblem(e),
          "check indentation and quoting near that line");
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          "cannot read configuration " + absolute + ": " + e.getMessage(), "check the file's permissions");
    }
    if (raw == null) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, name + " is empty: " + absolute,
          "it needs at least repositories: and databases: (docs/configuration.md has an example)");
    }
    requireDatabaseNames(absolute, raw);
    Config config = new Config(raw, absolute.getParent());
    config.validate();
    return config;
  }

  /** A key given twice, or YAML that does not parse; {@code within} is the section it happened in, if known. */
  private static LifeboatException parseError(String name, Path file, JsonParseException e, String within) {
    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    String key = YamlErrors.duplicateKey(e);
    if (key != null) {
      String at = within.isEmpty() ? YamlErrors.duplicatePath(e, key) : within + "." + key;
      return new LifeboatException(ErrorCode.CONFIG_INVALID,
          name + " line " + line + ": " + at + " is defined twice (YAML would keep only the last one)",
          "remove or rename one of them");
    }
    return new LifeboatException(ErrorCode.CONFIG_INVALID,
        name + " line " + line + ": not valid YAML: " + YamlErrors.syntaxProblem(e),
        "check indentation and quoting near that line");
  }

  /** Nothing but blank lines and comments: YAML reads that as no document, Jackson as "no content to map". */
  private static boolean isEmpty(String text) {
    return text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"));
  }

  /** The CLI's name rule, here too: a database the CLI cannot name could never be backed up or restored. */
  private static void requireDatabaseNames(Path file, LifeboatConfig raw) {
    for (String database : raw.databases().keySet()) {
      if (!DatabaseNames.valid(database)) {
        throw new LifeboatException(ErrorCode.CONFIG_INVALID,
            file.getFileName() + " line " + fieldLine(file, JsonPointer.empty().appendProperty("databases")
                .appendProperty(database)) + ": databases: '" + database + "' is not a database name",
            "rename it: " + DatabaseNames.RULE);
      }
    }
  }

  private static int line(Path file, JsonProcessingException e) {
    return YamlErrors.line(YAML, file, e);
  }

  private static int fieldLine(Path file, JsonPointer wanted) {
    return YamlErrors.fieldLine(YAML, file, wanted);
  }
}
