package lifeboat.activities.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The texts are what PostgreSQL 15 (through pgjdbc and through psql) and sqlite3 really print. */
class FailureCauseTest {
  static final String NOT_NULL_ADVICE = ": add a DEFAULT or backfill before setting NOT NULL";

  @Test
  void notNullColumnWithoutDefault() {
    assertEquals("a NOT NULL column added without a default (column country of users)" + NOT_NULL_ADVICE,
        FailureCause.explain("23502", "ERROR: column \"country\" of relation \"users\" contains null values"));
    assertEquals("a NOT NULL column added without a default (column country of users)" + NOT_NULL_ADVICE,
        FailureCause.explain(null,
            "ALTER TABLE\npsql:migrations/V4__users_country.sql:2: ERROR:  column \"country\" of relation \"users\" contains null values"));
    assertEquals("a NOT NULL column added without a default (column country of users)" + NOT_NULL_ADVICE,
        FailureCause.explain(null, "ERROR:  null value in column \"country\" of relation \"users\" violates not-null constraint\n"
            + "DETAIL:  Failing row contains (3, c@example.com, null)."));
    assertEquals("a NOT NULL column added without a default" + NOT_NULL_ADVICE,
        FailureCause.explain(null, "Error: stepping, Cannot add a NOT NULL column with default value NULL"));
    assertEquals("a NOT NULL column added without a default" + NOT_NULL_ADVICE,
        FailureCause.explain("23502", "some other wording"));
  }

  @Test
  void renamedOrDroppedColumn() {
    assertEquals("a column the migration expects is missing: a renamed or dropped column (name)",
        FailureCause.explain("42703", "ERROR: column \"name\" does not exist"));
    assertEquals("a column the migration expects is missing: a renamed or dropped column (total)",
        FailureCause.explain(null, "psql:x.sql:1: ERROR:  column \"total\" of relation \"orders\" does not exist"));
    assertEquals("a column the migration expects is missing: a renamed or dropped column (name)",
        FailureCause.explain(null, "Error: in prepare, no such column: name\n  create index i on t(name)\n"
            + "                      ^--- error here"));
  }

  @Test
  void changedType() {
    assertEquals("a changed column type: existing data does not convert "
            + "(ERROR: invalid input syntax for type integer: \"paid\")",
        FailureCause.explain("22P02", "ERROR: invalid input syntax for type integer: \"paid\""));
    assertEquals("a changed column type: existing data does not convert "
            + "(ERROR: column \"status\" cannot be cast automatically to type integer)",
        FailureCause.explain(null, "psql:V4.sql:1: ERROR:  column \"status\" cannot be cast automatically to type integer\n"
            + "HINT:  You might need to specify \"USING status::integer\"."));
    assertEquals("a changed column type: existing data does not convert "
            + "(ERROR: default for column \"status\" cannot be cast automatically to type integer)",
        FailureCause.explain("42804", "ERROR: default for column \"status\" cannot be cast automatically to type integer"));
  }

  @Test
  void anythingElseIsTheFirstErrorLine() {
    assertEquals("ERROR: relation \"invoices\" already exists",
        FailureCause.explain("42P07", "BEGIN\npsql:V5.sql:1: ERROR:  relation \"invoices\" already exists\nROLLBACK"));
    assertEquals("Killed", FailureCause.explain(null, "\n  Killed\n"));
    assertEquals("no error message", FailureCause.explain(null, ""));
  }
}
