package lifeboat.activities.config;

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
          absolute.getFileName() + " line " + e.getLocation().getLineNr() + ": unknown field '"
              + e.getPropertyName() + "' at " + path(e),
          "known fields there: " + known);
    } catch (JsonMappingException e) {
      throw new LifeboatException(ErrorCode.CONFIG_INVALID,
          absolute.getFileName() + " line " + line(e) + ": " + e.getOriginalMessage() + " at " + path(e),
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
      raw = new LifeboatConfig(null, null, null);
    }
    Config config = new Config(raw, absolute.getParent());
    config.validate();
    return config;
  }

  private static int line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
