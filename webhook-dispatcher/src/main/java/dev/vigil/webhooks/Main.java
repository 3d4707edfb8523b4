package dev.vigil.webhooks;

import dev.vigil.common.lifecycle.ServiceLauncher;

/**
 * The webhook dispatcher as its own process (one container per service): reads {@code VIGIL_*},
 * creates missing topics, runs the dispatcher, serves {@code /healthy}, {@code /ready} and
 * {@code /metrics} on {@code VIGIL_HTTP_PORT}, and stops in reverse order on SIGTERM — letting
 * in-flight attempts finish and committing what they settled.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServiceLauncher.launch("webhook-dispatcher", WebhookDispatcherConfig.allSettings(), System.getenv(), launch -> {
            launch.services().start(new WebhookDispatcherService(launch.vertx(), launch.common(),
                    WebhookDispatcherConfig.from(launch.values()), launch.registry()));
            return ServiceLauncher.NO_ROUTES;
        });
    }
}
