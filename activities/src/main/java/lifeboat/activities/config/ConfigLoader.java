package lifeboat.activities.config;

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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/** Reads lifeboat.yaml strictly: an unknown field is an error naming the field and its line. */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  public static Config load(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    LifeboatConfig raw;
    try {
      raw = YAML.readValue(Files.readString(absolute), LifeboatConfig.class);
    } catch (NoSuchFileException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID, "configuration file not found: " + absolute,
          "pass --config PATH or set LIFEBOAT_CONFIG");
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          absolute.getFileName() + " line " + line(absolute, e) + ": unknown field '"
              + e.getPropertyName() + "' at " + path(e),
          "known fields there: " + known);
    } catch (JsonMappingException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          absolute.getFileName() + " line " + line(absolute, e) + ": " + e.getOriginalMessage() + " at " + path(e),
          "see docs/configuration.md");
    } catch (JsonProcessingException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          absolute.getFileName() + " line " + line(e) + ": not valid YAML: " + e.getOriginalMessage(),
          "check indentation and quoting near that line");
    } catch (IOException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          "cannot read configuration " + absolute + ": " + e.getMessage(), "check the file's permissions");
    }
    if (raw == null) {
      raw = new LifeboatConfig(null, null, null, null, null);
    }
    Config config = new Config(raw, absolute.getParent());
    config.validate();
    return config;
  }

  private static int line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /**
   * The line of the field the error is about. Records deserialize through a creator, so Jackson buffers their
   * fields and the exception's own location is where the enclosing object ends, not where the field is.
   */
  private static int line(Path file, JsonMappingException e) {
    JsonPointer wanted = JsonPointer.empty();
    for (JsonMappingException.Reference ref : e.getPath()) {
      wanted = ref.getFieldName() != null ? wanted.appendProperty(ref.getFieldName())
          : wanted.appendIndex(ref.getIndex());
    }
    if (!wanted.matches()) {
      try (JsonParser p = YAML.createParser(file.toFile())) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().equals(wanted)) {
            return p.currentTokenLocation().getLineNr();
          }
        }
      } catch (IOException ignored) {
        // fall back to Jackson's location
      }
    }
    return line(e);
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
