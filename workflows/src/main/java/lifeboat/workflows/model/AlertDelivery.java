package lifeboat.workflows.model;

/** What SendAlerts did: {@code sent} is true when the webhook accepted the message. */
public record AlertDelivery(boolean sent, String detail) {}
