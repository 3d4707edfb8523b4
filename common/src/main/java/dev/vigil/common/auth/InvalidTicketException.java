package dev.vigil.common.auth;

import java.util.Objects;

/**
 * A WebSocket ticket was refused. The message is safe to show to the client and never contains the
 * token itself; {@link #reason()} lets the gateway count refusals by cause.
 */
public final class InvalidTicketException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a ticket was refused. */
    public enum Reason {
        /** Not a ticket at all: wrong shape, bad encoding, unknown version, too long. */
        MALFORMED,
        /** Well-formed, but not signed with our secret (forged, tampered, or another deployment's). */
        BAD_SIGNATURE,
        /** Genuine, but past its expiry. */
        EXPIRED
    }

    private final Reason reason;

    public InvalidTicketException(Reason reason, String message) {
        // No stack trace: a refusal is an expected answer to bad input, not a bug, and a flood of
        // forged tickets should not cost a stack walk each.
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
