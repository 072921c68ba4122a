package lifeboat.workflows.model;

/**
 * The WAL retention removed (or, in a dry run, would remove): every archived segment older than the first one
 * the oldest kept base backup needs.
 *
 * @param keepFrom  the first segment kept: the oldest kept base backup's first segment
 * @param first     the oldest segment removed, or null when none is
 * @param last      the newest segment removed, or null
 * @param objects   how many archive objects (segments, partial ones) that is
 */
public record WalPrune(String keepFrom, String first, String last, int objects, boolean dryRun) {}
