package dev.vigil.ws;

import dev.vigil.common.lifecycle.ServiceLauncher;

/**
 * The WebSocket gateway as its own process (one container per service): reads {@code VIGIL_*}
 * ({@code VIGIL_WS_TICKET_SECRET} required, shared with control-api), creates missing topics,
 * serves {@code /ws} with {@code /healthy}, {@code /ready} and {@code /metrics} on
 * {@code VIGIL_HTTP_PORT}, and stops in reverse order on SIGTERM (connections get 1001).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServiceLauncher.launch("ws-gateway", WsGatewayConfig.allSettings(), System.getenv(), launch -> {
            WsGatewayService gateway = launch.services().start(new WsGatewayService(launch.vertx(), launch.common(),
                    WsGatewayConfig.from(launch.values()), WsGatewayConfig.ticketSecret(launch.values()), launch.registry()));
            return gateway::mount;
        });
    }
}
