package dev.vigil.standalone.demo;

import dev.vigil.standalone.Standalone;
import dev.vigil.standalone.StandaloneConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo as one object: a standalone Vigil with the demo's webhook receiver on its port, then the
 * demo set-up through the REST API. {@code vigil demo} and the end-to-end tests both run it.
 */
public final class DemoRun implements AutoCloseable {

    /** What the demo needs on top of the standalone defaults; explicit settings still win. */
    public static final Map<String, String> DEMO_DEFAULTS = Map.of(
            "VIGIL_API_ALLOW_FILE_URLS", "true",
            "VIGIL_INGEST_ALLOW_FILES", "true",
            "VIGIL_INGEST_LOOP_FILES", "true",
            "VIGIL_API_ALLOW_PRIVATE_CALLBACKS", "true",
            "VIGIL_WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "true",
            "VIGIL_SOURCES_ALLOW_PRIVATE", "true");

    private final StandaloneConfig config;
    private final Standalone standalone;
    private final DemoWebhookReceiver receiver;
    private final Map.Entry<String, String> apiKey;

    private DemoRun(StandaloneConfig config, Standalone standalone, DemoWebhookReceiver receiver) {
        this.config = config;
        this.standalone = standalone;
        this.receiver = receiver;
        // The demo stream goes to the 'default' collection when a key maps to it, else to the first key's.
        this.apiKey = standalone.apiKeys().entrySet().stream()
                .filter(e -> e.getValue().equals("default")).findFirst()
                .orElse(standalone.apiKeys().entrySet().iterator().next());
    }

    /** Starts every service, with the webhook receiver mounted; the demo data comes with {@link #setUp}. */
    public static DemoRun start(StandaloneConfig config) throws Exception {
        DemoWebhookReceiver receiver = new DemoWebhookReceiver();
        return new DemoRun(config, Standalone.start(config, receiver::mount), receiver);
    }

    /**
     * Creates (or, after a restart, finds) the demo's stream, indexes, event and alert.
     *
     * @param wsConnectionId a WebSocket connection to target with every record and alert, as VideoDB's
     *                       SDK examples do; null to rely on subscriptions (the dashboard's way)
     */
    public DemoSetup.Demo setUp(String wsConnectionId) throws IOException, InterruptedException {
        Path dir = config.dataDir().resolve("demo");
        DemoSetup.Demo demo = new DemoSetup(URI.create(standalone.httpUrl()), apiKey.getKey(), apiKey.getValue(),
                dir.resolve("demo.json"))
                .ensure(DemoClip.extractTo(dir), standalone.httpUrl() + DemoWebhookReceiver.PATH, wsConnectionId);
        receiver.secret(demo.webhookSecret());
        return demo;
    }

    public Standalone standalone() {
        return standalone;
    }

    public DemoWebhookReceiver receiver() {
        return receiver;
    }

    /** The API key the demo uses. */
    public String apiKey() {
        return apiKey.getKey();
    }

    @Override
    public void close() {
        standalone.close();
    }
}
