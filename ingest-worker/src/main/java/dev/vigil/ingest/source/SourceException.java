package dev.vigil.ingest.source;

/**
 * A source could not be opened or read. The message is the reason shown in the stream's status;
 * {@link #isPermanent()} says whether retrying can help (a refused connection can heal, a file that
 * is not media or a 403 cannot).
 */
public final class SourceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public SourceException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public SourceException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
