package lifeboat.workflows.failover;

/**
 * @param url            the server promoted
 * @param promoted       this call promoted it
 * @param alreadyPrimary it had left recovery before this call (a retry, or a second promotion): nothing done
 * @param timelineId     its timeline afterwards (a promotion starts a new one)
 * @param elapsedMillis  from the call to confirmed out of recovery
 * @param message        what happened, for the timeline
 */
public record PromoteResult(String url, boolean promoted, boolean alreadyPrimary, Long timelineId,
    long elapsedMillis, String message) {}
