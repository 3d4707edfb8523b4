package dev.vigil.api;

import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.Setting;
import dev.vigil.common.lifecycle.ServiceLauncher;
import dev.vigil.storage.SegmentStoreService;
import dev.vigil.storage.StorageConfig;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API as its own process (one container per service): reads {@code VIGIL_*}, creates
 * missing topics, serves the REST API on {@code VIGIL_HTTP_PORT} with {@code /healthy}, {@code /ready} and
 * {@code /metrics} next to it (or on {@code VIGIL_OPS_PORT} when set), and stops in reverse order on SIGTERM.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<Setting<?>> settings = new ArrayList<>(ControlApiConfig.allSettings());
        settings.addAll(StorageConfig.SETTINGS);
        ServiceLauncher.launch("control-api", settings, System.getenv(), launch -> {
            ControlApiConfig config = ControlApiConfig.from(launch.values());
            if (config.apiKeys().isEmpty()) {
                byte[] random = new byte[20];
                new SecureRandom().nextBytes(random);
                String key = "vigil_" + HexFormat.of().formatHex(random);
                log.warn("VIGIL_API_KEYS is not set; generated API key {} for collection 'default' (valid until restart)", key);
                config = config.withApiKeys(Map.of(key, "default"));
            }
            if (config.wsTicketSecret().isEmpty()) {
                log.warn("VIGIL_WS_TICKET_SECRET is not set: WebSocket tickets use a random secret that ws-gateway "
                        + "instances in other processes cannot verify");
            }
            byte[] ticketSecret = config.wsTicketSecret().map(WsTickets::secretFrom).orElseGet(WsTickets::randomSecret);
            // Recorded segments and exports (VIGIL_STORAGE_*): the same backend the ingest workers record into.
            SegmentStoreService recordings = launch.services().start(new SegmentStoreService(StorageConfig.from(launch.values())));
            return launch.services().start(new ControlApiService(launch.vertx(), launch.common(), config, ticketSecret,
                    recordings.store()))::mount;
        });
    }
}
