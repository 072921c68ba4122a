package lifeboat.activities.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lifeboat.workflows.errors.WorkflowError;
import org.junit.jupiter.api.Test;

/**
 * One catalogue: every code the activities raise (ErrorCode) and every code workflow code raises
 * (WorkflowError) has its row in docs/errors.md, with whether it is retried; a code both sides raise is retried
 * alike on both.
 */
class ErrorCatalogueTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)`(?: / `([A-Z_]+)`)? \\| (yes|no|\\d) \\|",
      Pattern.MULTILINE);

  /** Documented code → "yes" (retried), "no", or a CLI exit code. */
  private static Map<String, String> documented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "errors.md"));
    Map<String, String> rows = new TreeMap<>();
    Matcher m = ROW.matcher(doc);
    while (m.find()) {
      // A code the CLI also says (with its exit code) keeps the worker table's retried column.
      rows.merge(m.group(1), m.group(3), (first, cli) -> first);
      if (m.group(2) != null) {
        rows.merge(m.group(2), m.group(3), (first, cli) -> first);
      }
    }
    assertTrue(rows.size() > 30, "the tables of docs/errors.md were read: " + rows.keySet());
    return rows;
  }

  @Test
  void everyCodeOfBothSidesIsDocumentedWithWhetherItIsRetried() throws Exception {
    Map<String, String> rows = documented();
    var missing = new TreeSet<String>();
    var wrong = new TreeSet<String>();
    for (ErrorCode c : ErrorCode.values()) {
      check(rows, c.name(), !c.userFixable(), missing, wrong);
    }
    for (WorkflowError c : WorkflowError.values()) {
      check(rows, c.name(), c.retryable(), missing, wrong);
    }
    assertEquals(new TreeSet<>(), missing, "codes without a row in docs/errors.md");
    assertEquals(new TreeSet<>(), wrong, "codes whose row says the opposite about retrying");
  }

  @Test
  void aCodeBothSidesRaiseIsRetriedAlike() {
    for (WorkflowError w : WorkflowError.values()) {
      for (ErrorCode c : ErrorCode.values()) {
        if (c.name().equals(w.name())) {
          assertEquals(!c.userFixable(), w.retryable(), w.name());
        }
      }
    }
  }

  private static void check(Map<String, String> rows, String code, boolean retried, TreeSet<String> missing,
      TreeSet<String> wrong) {
    String row = rows.get(code);
    if (row == null) {
      missing.add(code);
    } else if (!row.equals(retried ? "yes" : "no")) {
      wrong.add(code + " (docs: " + row + ")");
    }
  }
}
