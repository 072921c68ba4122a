package lifeboat.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.Map;

/**
 * Lifeboat's custom search attributes, by name and Temporal type. `lifeboat dev` registers them on the server it
 * starts; on a cluster an operator registers them once (docs/temporal.md#search-attributes).
 *
 * <p>Starters set all three, or none: a workflow may upsert {@link #WAITING_FOR} only where the server knows it
 * (an unknown attribute fails the workflow task, over and over), and it knows that from its start: the CLI and
 * `schedule apply` set WAITING_FOR (empty) only after checking that the namespace has all three.
 */
public final class SearchAttributes {
  /** The database a workflow works on. */
  public static final String DATABASE = "LifeboatDatabase";
  /** The runbook kind (backup, restore-drill, failover, ...) or workflow kind (restore, retention). */
  public static final String KIND = "LifeboatKind";
  /** What a workflow waits for: "approval" while a person is asked; empty while it works. */
  public static final String WAITING_FOR = "LifeboatWaitingFor";

  public static final SearchAttributeKey<String> DATABASE_KEY = SearchAttributeKey.forKeyword(DATABASE);
  public static final SearchAttributeKey<String> KIND_KEY = SearchAttributeKey.forKeyword(KIND);
  public static final SearchAttributeKey<String> WAITING_FOR_KEY = SearchAttributeKey.forKeyword(WAITING_FOR);

  /** Name to type, as `temporal server start-dev --search-attribute NAME=TYPE` takes them. */
  public static final Map<String, String> TYPES = Map.of(DATABASE, "Keyword", KIND, "Keyword", WAITING_FOR, "Keyword");

  /** A new workflow's attributes: its kind, its database (nullable), and nothing waited for yet. */
  public static io.temporal.common.SearchAttributes atStart(String kind, String database) {
    io.temporal.common.SearchAttributes.Builder attributes = io.temporal.common.SearchAttributes.newBuilder()
        .set(KIND_KEY, kind).set(WAITING_FOR_KEY, "");
    if (database != null) {
      attributes.set(DATABASE_KEY, database);
    }
    return attributes.build();
  }

  private SearchAttributes() {}
}
