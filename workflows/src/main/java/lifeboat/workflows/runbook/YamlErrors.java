package lifeboat.workflows.runbook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Jackson's and snakeyaml's errors about a YAML file, said in one line a person can act on: the field, what it
 * should hold and what it holds, the line. Their own messages name Java types ({@code java.lang.Integer}),
 * quote source snippets over several lines and end in {@code (through reference chain: ...)}.
 * Used for lifeboat.yaml and, by the CLI, for runbooks: it knows Jackson, not the configuration.
 */
public final class YamlErrors {
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
  private static final Pattern FROM = Pattern.compile("from (\\w+) value");

  private YamlErrors() {}

  /** The key defined twice, when {@code e} is the parser's duplicate-key error; else null. */
  public static String duplicateKey(JsonProcessingException e) {
    Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
    return m.find() ? m.group(1) : null;
  }

  /** Where the duplicate key is, as a dotted path (databases.app), from the parser that found it. */
  public static String duplicatePath(JsonProcessingException e, String key) {
    if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
      String dotted = dotted(p.getParsingContext().pathAsPointer());
      if (!dotted.isEmpty()) {
        return dotted;
      }
    }
    return key;
  }

  /** A YAML syntax error's problem, without snakeyaml's multi-line snippet. */
  public static String syntaxProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblem() != null) {
      return y.getProblem() + (y.getContext() == null ? "" : " (" + y.getContext() + ")");
    }
    return firstLine(e.getOriginalMessage());
  }

  /** What a field should hold and what it held, for a value of the wrong type; Jackson's own text otherwise. */
  public static String wrongValue(JsonMappingException e) {
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String got = e instanceof InvalidFormatException f ? "'" + f.getValue() + "'" : got(e.getOriginalMessage());
      return "expected " + expected(m.getTargetType()) + (got == null ? "" : ", got " + got);
    }
    return firstLine(e.getOriginalMessage());
  }

  /** The dotted field path of a mapping error: databases.app.compressionLevel. */
  public static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  /**
   * The line of the field a mapping error is about. Records deserialize through a creator, so Jackson buffers
   * their fields and the exception's own location is where the enclosing object ends, not where the field is.
   */
  public static int line(ObjectMapper yaml, Path file, JsonProcessingException e) {
    if (e instanceof JsonMappingException m) {
      JsonPointer wanted = JsonPointer.empty();
      for (JsonMappingException.Reference ref : m.getPath()) {
        wanted = ref.getFieldName() != null ? wanted.appendProperty(ref.getFieldName())
            : wanted.appendIndex(ref.getIndex());
      }
      int line = wanted.matches() ? 0 : fieldLine(yaml, file, wanted);
      if (line > 0) {
        return line;
      }
    }
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /** The line where the field at {@code wanted} is written; 0 when it is not found (or the file not read). */
  public static int fieldLine(ObjectMapper yaml, Path file, JsonPointer wanted) {
    try (JsonParser p = yaml.createParser(file.toFile())) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().equals(wanted)) {
          return p.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException ignored) {
      // no line is better than no message
    }
    return 0;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping (name: value, ...)";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type.isRecord()) {
      return "a section of fields (field: value, ...)";
    }
    return "a " + type.getSimpleName();
  }

  private static String got(String message) {
    Matcher m = FROM.matcher(String.valueOf(message));
    if (!m.find()) {
      return null;
    }
    return switch (m.group(1)) {
      case "Array" -> "a list";
      case "Object" -> "a mapping";
      case "String" -> "a text value";
      case "Integer", "Floating" -> "a number";
      case "Boolean" -> "true/false";
      default -> m.group(1).toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String dotted(JsonPointer pointer) {
    StringBuilder out = new StringBuilder();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(p.getMatchingIndex() >= 0 ? "[" + p.getMatchingIndex() + "]" : p.getMatchingProperty());
    }
    return out.toString();
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }
}
