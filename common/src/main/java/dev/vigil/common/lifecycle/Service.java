package dev.vigil.common.lifecycle;

/**
 * A part of a Vigil process with a start and an orderly stop: a broker, a Streams application, an
 * HTTP server, a consumer loop. {@link #start()} returns when the part is up (or throws);
 * {@link #isReady()} reports whether it is really serving right now, {@link #isAlive()} whether it
 * is beyond repair.
 */
public interface Service extends AutoCloseable {

    /** Short name for logs, e.g. {@code embedded-kafka}. */
    String name();

    /** Starts the service; returns once it is up. */
    void start() throws Exception;

    /** Whether the service currently does its job (for {@code /ready}). */
    boolean isReady();

    /**
     * False when the service cannot recover by itself, e.g. a supervised loop that spent its restart
     * budget (for {@code /healthy}: the orchestrator should restart the process). Default: true.
     */
    default boolean isAlive() {
        return true;
    }

    /** Stops the service and releases its resources. Must be idempotent and not throw. */
    @Override
    void close();
}
