package lifeboat.activities.repository;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import lifeboat.activities.errors.ErrorCode;
import lifeboat.activities.errors.LifeboatException;

/**
 * A full disk (or quota) under a repository write. The kernel's ENOSPC reaches Java as an IOException whose
 * message is the C library's text, often wrapped (by the compressor, the OpenPGP stream) or only suppressed by
 * a failing close; so the whole chain is searched, causes and suppressed alike.
 */
public final class OutOfSpace {
  private static final String[] SIGNS = {"No space left on device", "ENOSPC", "Disk quota exceeded", "EDQUOT"};

  private OutOfSpace() {}

  public static boolean in(Throwable error) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    todo.add(error);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (seen.put(t, true) != null) {
        continue;
      }
      String message = t.getMessage();
      for (String sign : SIGNS) {
        if (message != null && message.contains(sign)) {
          return true;
        }
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
    }
    return false;
  }

  /** STORAGE_FAILED saying the disk is full, and where: retried, since space can be freed meanwhile. */
  public static LifeboatException failure(String what, String where, IOException e) {
    return new LifeboatException(ErrorCode.STORAGE_FAILED,
        what + " failed: no space left on the repository's disk (" + e.getMessage() + ")",
        "free space where the repository is (" + where + "; df -h shows it), or point the database at another"
            + " repository; the step is retried", e);
  }
}
