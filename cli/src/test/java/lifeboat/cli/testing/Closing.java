package lifeboat.cli.testing;

/** Closes test fixtures in order (server before its home, home before its database), each even if one fails. */
public final class Closing {
  private Closing() {}

  /** Skips nulls (a fixture that never started); rethrows the first failure once all have been tried. */
  public static void all(AutoCloseable... fixtures) {
    RuntimeException first = null;
    for (AutoCloseable fixture : fixtures) {
      try {
        if (fixture != null) {
          fixture.close();
        }
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new RuntimeException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
