package dev.vigil.ingest.source;

/**
 * A source could not be opened or read. {@link #isPermanent()} says whether retrying can help (a
 * refused connection can heal, a file that is not media or a 403 cannot).
 *
 * <p>Two texts: the message is the detail (FFmpeg's error line, the address a host resolved to) and
 * goes only to the worker's log; {@link #publicReason()} is what the stream's status shows to the API
 * client — coarse ({@link #UNREACHABLE}, {@link #REFUSED_BY_POLICY}, …) for anything that could tell a
 * client about the network behind the worker, so a stream URL cannot be used as a port scanner.
 */
public final class SourceException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The source did not answer, or not in time (connection refused, DNS, timeout, server error). */
    public static final String UNREACHABLE = "source unreachable";
    /** The URL, a redirect or a playlist entry points at an address the policy refuses. */
    public static final String REFUSED_BY_POLICY = "source refused by policy";
    /** The source answered but refused the request (HTTP 4xx: URL path, credentials). */
    public static final String REJECTED = "source rejected the request (check the URL and credentials)";
    /** The source answered with something that is not decodable audio or video. */
    public static final String UNSUPPORTED_MEDIA = "unsupported media";

    private final boolean permanent;
    private final String publicReason;

    /** A failure whose message is safe to show to the client as it is (about the URL the client gave). */
    public SourceException(String message, boolean permanent) {
        this(message, permanent, null, null);
    }

    public SourceException(String message, boolean permanent, Throwable cause) {
        this(message, permanent, cause, null);
    }

    /** {@code publicReason}: what the client sees instead of {@code message}; null shows the message. */
    public SourceException(String message, boolean permanent, Throwable cause, String publicReason) {
        super(message, cause);
        this.permanent = permanent;
        this.publicReason = publicReason;
    }

    public boolean isPermanent() {
        return permanent;
    }

    /** The reason for the stream's status, seen by the API client. */
    public String publicReason() {
        return publicReason != null ? publicReason : getMessage();
    }
}
