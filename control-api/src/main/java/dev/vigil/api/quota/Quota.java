package dev.vigil.api.quota;

/** The objects a collection may hold a bounded number of, each with the setting that bounds it. */
public enum Quota {
    STREAMS("streams", QuotaConfig.STREAMS.env()),
    INDEXES("indexes", QuotaConfig.INDEXES.env()),
    EVENTS("events", QuotaConfig.EVENTS.env()),
    ALERTS("alerts", QuotaConfig.ALERTS.env());

    private final String noun;
    private final String setting;

    Quota(String noun, String setting) {
        this.noun = noun;
        this.setting = setting;
    }

    /** Plural noun for messages ("streams"). */
    public String noun() {
        return noun;
    }

    /** The environment variable that sets the limit. */
    public String setting() {
        return setting;
    }
}
