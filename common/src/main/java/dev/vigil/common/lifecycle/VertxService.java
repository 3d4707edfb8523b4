package dev.vigil.common.lifecycle;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Owns the process's Vert.x instance so it closes after the servers that use it: started first in a
 * {@link ServiceGroup}, it is closed last.
 */
public final class VertxService implements Service {

    private final Vertx vertx;

    public VertxService(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public String name() {
        return "vertx";
    }

    @Override
    public void start() {
        // Created by the caller; nothing to start.
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Vert.x did not close", e);
        }
    }
}
