package lifeboat.cli.testing;

/** What one `lifeboat` command did: its exit code and everything it printed. */
public record CliResult(int exit, String out, String err) {
  /** Standard output and standard error together, for assertions on either. */
  public String all() {
    return out + err;
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
}
