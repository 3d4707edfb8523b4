package dev.vigil.alerts;

import dev.vigil.common.lifecycle.ServiceLauncher;

/**
 * The alert-router as its own process (one container per service): reads {@code VIGIL_*}, creates
 * missing topics, runs the Streams application, serves {@code /healthy}, {@code /ready} (true while
 * Streams is RUNNING) and {@code /metrics} on {@code VIGIL_HTTP_PORT}, and stops in reverse order on
 * SIGTERM.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServiceLauncher.launch("alert-router", AlertRouterConfig.allSettings(), System.getenv(), launch -> {
            launch.services().start(new AlertRouterService(launch.common(), AlertRouterConfig.from(launch.values()),
                    launch.registry()));
            return ServiceLauncher.NO_ROUTES;
        });
    }
}
