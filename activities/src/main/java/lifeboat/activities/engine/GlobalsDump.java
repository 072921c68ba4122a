package lifeboat.activities.engine;

/**
 * A running dump of server-wide objects, and how it reads them ({@link lifeboat.workflows.model.SavedGlobals}'s
 * source: with role passwords, or without them for a user that is not a superuser).
 */
public record GlobalsDump(Dump dump, String source) implements AutoCloseable {
  @Override
  public void close() {
    dump.close();
  }
}
