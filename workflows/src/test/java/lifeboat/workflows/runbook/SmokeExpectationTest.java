package lifeboat.workflows.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmokeExpectationTest {

  @Test
  void numbersCompareAsNumbers() {
    assertNull(SmokeExpectation.parse("> 0").mismatch("1"));
    assertNull(SmokeExpectation.parse("=0").mismatch("0"));
    assertNull(SmokeExpectation.parse(" = 10 ").mismatch("10.0"));
    assertNull(SmokeExpectation.parse("!= 3").mismatch("4"));
    assertNull(SmokeExpectation.parse(">= 3").mismatch("3"));
    assertNull(SmokeExpectation.parse("< 2.5").mismatch("2"));
    assertNull(SmokeExpectation.parse("<= -1").mismatch("-1"));
    assertNull(SmokeExpectation.parse("> 9").mismatch("10"), "not compared as text");
    assertEquals("expected > 0, got 0", SmokeExpectation.parse("> 0").mismatch("0"));
    assertEquals("expected = 0, got 'abc', not a number", SmokeExpectation.parse("= 0").mismatch("abc"));
    assertEquals("expected = 0, got no value", SmokeExpectation.parse("= 0").mismatch(null));
  }

  @Test
  void textComparesWithEqualsOnly() {
    assertNull(SmokeExpectation.parse("= 'ok'").mismatch("ok"));
    assertNull(SmokeExpectation.parse("= 'it''s'").mismatch("it's"));
    assertNull(SmokeExpectation.parse("!= 'bad'").mismatch("ok"));
    assertEquals("expected = 'ok', got 'OK'", SmokeExpectation.parse("= 'ok'").mismatch("OK"));
    assertEquals("= 'it''s'", SmokeExpectation.parse("='it''s'").toString());
  }

  @Test
  void badExpectationsSayWhatIsAccepted() {
    for (String bad : new String[] {null, "", "3", "~ 3", "> ", "> three", "> 'x'", "== 3"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmokeExpectation.parse(bad),
          String.valueOf(bad));
      assertTrue(e.getMessage().startsWith("expect \""), e.getMessage());
    }
  }
}
