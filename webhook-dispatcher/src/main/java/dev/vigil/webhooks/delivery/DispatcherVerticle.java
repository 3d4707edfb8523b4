package dev.vigil.webhooks.delivery;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Gives the {@link Dispatcher} its own event-loop context: all endpoint state lives on it, so it
 * needs no locks. Sweeps idle endpoints and expired addresses every minute.
 */
public final class DispatcherVerticle extends VerticleBase {

    private static final long SWEEP_MS = 60_000;

    private final Function<io.vertx.core.Context, Dispatcher> factory;
    private volatile Dispatcher dispatcher;

    /** {@code factory}: builds the dispatcher on the verticle's context. */
    public DispatcherVerticle(Function<io.vertx.core.Context, Dispatcher> factory) {
        this.factory = factory;
    }

    @Override
    public Future<?> start() {
        dispatcher = factory.apply(context);
        vertx.setPeriodic(SWEEP_MS, id -> dispatcher.sweep());
        return Future.succeededFuture();
    }

    /** Submits jobs from any thread. */
    public Consumer<List<Job>> jobs() {
        return batch -> dispatcher.submitAll(batch);
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }
}
