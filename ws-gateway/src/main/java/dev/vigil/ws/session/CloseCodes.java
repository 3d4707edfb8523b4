package dev.vigil.ws.session;

/** The WebSocket close codes the gateway uses (RFC 6455 §7.4 and the IANA registry). */
public final class CloseCodes {

    /** Idle timeout, or the gateway shutting down. */
    public static final short GOING_AWAY = 1001;
    /** Repeated invalid or excessive client frames. */
    public static final short POLICY_VIOLATION = 1008;
    /** A client frame over the size limit. */
    public static final short MESSAGE_TOO_BIG = 1009;
    /** The client did not read fast enough; it may reconnect (and will have missed frames). */
    public static final short TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
