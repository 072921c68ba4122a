package lifeboat.workflows.runbook;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A smoke check's {@code expect}: an operator and a value, {@code = N}, {@code != N}, {@code > N},
 * {@code >= N}, {@code < N}, {@code <= N} (numbers), or {@code = 'text'} / {@code != 'text'}. Pure, so the
 * runbook loader can refuse a bad expectation before anything runs, and the smoke-check step applies it.
 */
public record SmokeExpectation(String operator, BigDecimal number, String text) {
  private static final Pattern FORM = Pattern.compile("^\\s*(!=|>=|<=|=|>|<)\\s*(.+?)\\s*$");

  /** @throws IllegalArgumentException with a message saying what is accepted */
  public static SmokeExpectation parse(String expect) {
    Matcher m = FORM.matcher(expect == null ? "" : expect);
    if (!m.matches()) {
      throw new IllegalArgumentException("expect \"" + expect + "\" is not an operator and a value: use = N, != N, "
          + "> N, >= N, < N, <= N or = 'text'");
    }
    String op = m.group(1);
    String value = m.group(2);
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      if (!op.equals("=") && !op.equals("!=")) {
        throw new IllegalArgumentException("expect \"" + expect + "\": text compares with = or != only");
      }
      return new SmokeExpectation(op, null, value.substring(1, value.length() - 1).replace("''", "'"));
    }
    try {
      return new SmokeExpectation(op, new BigDecimal(value), null);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expect \"" + expect + "\": " + value
          + " is neither a number nor 'quoted text'");
    }
  }

  /**
   * Whether the query's answer (first column of the first row, null for no row or SQL NULL) meets it; the
   * failure in words otherwise, e.g. "expected > 0, got 0".
   */
  public String mismatch(String actual) {
    String expected = "expected " + this;
    if (actual == null) {
      return expected + ", got no value";
    }
    if (text != null) {
      return actual.equals(text) == operator.equals("=") ? null : expected + ", got '" + actual + "'";
    }
    BigDecimal got;
    try {
      got = new BigDecimal(actual.trim());
    } catch (NumberFormatException e) {
      return expected + ", got '" + actual + "', not a number";
    }
    int c = got.compareTo(number);
    boolean ok = switch (operator) {
      case "=" -> c == 0;
      case "!=" -> c != 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "<" -> c < 0;
      default -> c <= 0;
    };
    return ok ? null : expected + ", got " + actual;
  }

  @Override
  public String toString() {
    return operator + " " + (text != null ? "'" + text.replace("'", "''") + "'" : number.toPlainString());
  }
}
