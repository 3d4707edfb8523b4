package dev.vigil.ingest.session;

/**
 * How one {@link SourceSession} ended, for the reconnect loop of {@link StreamIngest}.
 *
 * @param permanent no retry can fix it (the stream goes to ERROR)
 * @param healthy   it delivered media long enough to restart the back-off
 */
record SessionOutcome(Kind kind, String reason, boolean permanent, boolean healthy) {

    enum Kind { STOPPED, ENDED, FAILED }

    static SessionOutcome stopped() {
        return new SessionOutcome(Kind.STOPPED, null, false, false);
    }

    static SessionOutcome ended(String reason) {
        return new SessionOutcome(Kind.ENDED, reason, false, false);
    }

    static SessionOutcome failed(String reason, boolean permanent, boolean healthy) {
        return new SessionOutcome(Kind.FAILED, reason, permanent, healthy);
    }
}
