package lifeboat.workflows;

import java.util.Map;

/**
 * Lifeboat's custom search attributes, by name and Temporal type. `lifeboat dev` registers them on the server it
 * starts; on a cluster an operator registers them once (docs/runbooks.md#search-attributes).
 */
public final class SearchAttributes {
  /** The database a workflow works on. */
  public static final String DATABASE = "LifeboatDatabase";
  /** The runbook kind (backup, restore-drill, failover, ...) or workflow kind (restore, retention). */
  public static final String KIND = "LifeboatKind";
  /** What a workflow waits for: an approval, a worker of a role; empty while it works. */
  public static final String WAITING_FOR = "LifeboatWaitingFor";

  /** Name to type, as `temporal server start-dev --search-attribute NAME=TYPE` takes them. */
  public static final Map<String, String> TYPES = Map.of(DATABASE, "Keyword", KIND, "Keyword", WAITING_FOR, "Keyword");

  private SearchAttributes() {}
}
