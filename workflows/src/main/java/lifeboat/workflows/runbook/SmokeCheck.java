package lifeboat.workflows.runbook;

/**
 * One check that the restored data is usable. Either a query whose first column of the first row is
 * compared with {@code expect}, or the built-in write probe (create a table, write a row, read it back, drop
 * the table).
 *
 * <pre>
 * smoke:
 *   - name: users exist
 *     sql: SELECT count(*) FROM users
 *     expect: "> 0"                 # = N, != N, > N, >= N, < N, <= N, or = 'text'
 *   - name: no orphan orders
 *     sql: SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL
 *     expect: "= 0"
 *   - name: write and read back
 *     writeProbe: true
 * </pre>
 */
public record SmokeCheck(String name, String sql, String expect, Boolean writeProbe) {

  public boolean probes() {
    return writeProbe != null && writeProbe;
  }
}
