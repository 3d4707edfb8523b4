package dev.vigil.schemas;

/** Kafka's {@code cleanup.policy} for a topic. */
public enum CleanupPolicy {
    /** Keep the latest value per key; a tombstone deletes. Used for control state. */
    COMPACT("compact"),
    /** Drop segments older than the retention. Used for data. */
    DELETE("delete");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of the topic config {@code cleanup.policy}. */
    public String configValue() {
        return configValue;
    }
}
