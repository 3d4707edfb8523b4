package dev.vigil.common.lifecycle;

/**
 * A part of a Vigil process with a start and an orderly stop: a broker, a Streams application, an
 * HTTP server, a consumer loop. {@link #start()} returns when the part is up (or throws);
 * {@link #isReady()} reports whether it is really serving right now.
 */
public interface Service extends AutoCloseable {

    /** Short name for logs, e.g. {@code embedded-kafka}. */
    String name();

    /** Starts the service; returns once it is up. */
    void start() throws Exception;

    /** Whether the service currently does its job (for {@code /ready}). */
    boolean isReady();

    /** Stops the service and releases its resources. Must be idempotent and not throw. */
    @Override
    void close();
}
