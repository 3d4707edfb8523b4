package dev.vigil.api.records;

/** A search or listing request the store cannot run as asked; the message says what to fix (a 400). */
public final class BadQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadQueryException(String message) {
        super(message, null, false, false);
    }
}
