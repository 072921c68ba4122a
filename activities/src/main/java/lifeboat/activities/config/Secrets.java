package lifeboat.activities.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * Resolves secret references inside activities. Workflows only ever see the reference ({@code env:NAME},
 * {@code file:PATH}); the value stays in the worker's memory. Literal secrets are refused, so a password
 * can't be committed to lifeboat.yaml or sent through a workflow input by mistake.
 */
public final class Secrets {
  private final Map<String, String> env;
  private final Path baseDir;

  public Secrets(Map<String, String> env, Path baseDir) {
    this.env = env;
    this.baseDir = baseDir;
  }

  public static Secrets fromEnvironment(Path baseDir) {
    return new Secrets(System.getenv(), baseDir);
  }

  public static boolean isReference(String value) {
    return lifeboat.workflows.model.SecretReferences.isReference(value);
  }

  /**
   * @param ref    the reference, or null for "no secret"
   * @param usedBy which setting names it, for the error message (e.g. "databases.app.password")
   */
  public String resolve(String ref, String usedBy) {
    if (ref == null || ref.isBlank()) {
      return null;
    }
    if (ref.startsWith("env:")) {
      String name = ref.substring(4);
      String value = env.get(name);
      if (value == null) {
        throw new LifeboatException(ErrorCode.SECRET_UNRESOLVED,
            "environment variable " + name + " (named by " + usedBy + ") is not set in the worker",
            "export " + name + " in the worker's environment, or point " + usedBy + " at file:PATH");
      }
      return value;
    }
    if (ref.startsWith("file:")) {
      Path file = baseDir.resolve(ref.substring(5));
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new LifeboatException(ErrorCode.SECRET_UNRESOLVED,
            "secret file " + file + " (named by " + usedBy + ") cannot be read: " + e.getClass().getSimpleName(),
            "create the file, readable by the worker, holding only the secret");
      }
    }
    throw new LifeboatException(ErrorCode.CONFIG_INVALID,
        usedBy + " holds a literal value; secrets must be references",
        "write env:VARIABLE or file:PATH instead of the secret itself");
  }
}
