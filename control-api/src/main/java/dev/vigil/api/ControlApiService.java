package dev.vigil.api;

import dev.vigil.common.net.HostResolver;
import dev.vigil.api.frames.LatestFrames;
import dev.vigil.api.deliveries.DeliveryLog;
import dev.vigil.api.deliveries.ReplayWriter;
import dev.vigil.api.playback.FrameLookup;
import dev.vigil.api.playback.SegmentIndex;
import dev.vigil.api.records.RecordsStore;
import dev.vigil.common.playback.PlaybackLinks;
import dev.vigil.common.secrets.SignedUrls;
import dev.vigil.common.storage.SegmentStore;
import dev.vigil.api.resources.ApiContext;
import dev.vigil.api.state.ControlView;
import dev.vigil.api.state.ControlWriter;
import dev.vigil.api.state.ReadBarrier;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigException;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.lifecycle.Service;
import dev.vigil.common.net.CallbackUrlPolicy;
import dev.vigil.rules.RuleCompiler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's moving parts as one {@link Service}: the control view (a consumer of the
 * compacted topics), the writer (a producer), the read barrier (an admin client), the records store
 * (a consumer of the index topics into a Lucene index), the webhook delivery log with its replay
 * writer, the latest-frame reader, and the recording's segment index with the segment store behind the
 * playback API. Once started,
 * {@link #mount(Router)} adds the REST routes to a router.
 */
public final class ControlApiService implements Service {

    private static final Logger log = LoggerFactory.getLogger(ControlApiService.class);

    private final Vertx vertx;
    private final CommonConfig common;
    private final ControlApiConfig config;
    private final byte[] ticketSecret;
    private final HostResolver resolver;
    private final List<Service> started = new ArrayList<>();
    private ApiContext api;
    private ControlView view;
    private LatestFrames frames;
    private DeliveryLog deliveries;
    private ReplayWriter replays;
    private RecordsStore records;
    private final SegmentStore store;
    private SegmentIndex segments;
    private PlaybackLinks links;
    private FrameLookup frameLookup;

    /** {@code ticketSecret}: shared with ws-gateway, which verifies the tickets. */
    public ControlApiService(Vertx vertx, CommonConfig common, ControlApiConfig config, byte[] ticketSecret) {
        this(vertx, common, config, ticketSecret, HostResolver.system(), null);
    }

    /**
     * {@code store}: where recorded segments and exports live (the one place the deployment's storage backend is
     * handed in: a LocalSegmentStore in standalone, the configured backend elsewhere); null leaves the playback
     * API answering 503. The caller owns it (it may be shared with the recorder) and closes it.
     */
    public ControlApiService(Vertx vertx, CommonConfig common, ControlApiConfig config, byte[] ticketSecret,
            SegmentStore store) {
        this(vertx, common, config, ticketSecret, HostResolver.system(), store);
    }

    /** {@code resolver}: how callback hosts are resolved for the SSRF guard (tests pass a fixed table). */
    public ControlApiService(Vertx vertx, CommonConfig common, ControlApiConfig config, byte[] ticketSecret,
            HostResolver resolver) {
        this(vertx, common, config, ticketSecret, resolver, null);
    }

    public ControlApiService(Vertx vertx, CommonConfig common, ControlApiConfig config, byte[] ticketSecret,
            HostResolver resolver, SegmentStore store) {
        this.store = store;
        this.resolver = resolver;
        this.vertx = vertx;
        this.common = common;
        this.config = config;
        this.ticketSecret = ticketSecret.clone();
        if (config.secretKeys().isEmpty()) {
            // Webhook secrets are sealed in vigil.alerts; without the keys no alert could get one.
            throw new ConfigException(List.of(SecretKeys.KEYS.env() + ": required by control-api (" + SecretKeys.KEYS.doc() + ")"));
        }
    }

    @Override
    public String name() {
        return "control-api";
    }

    @Override
    public void start() throws Exception {
        if (config.apiKeys().isEmpty()) {
            throw new IllegalStateException("control-api needs at least one API key (VIGIL_API_KEYS)");
        }
        KafkaClients clients = new KafkaClients(common);
        view = startPart(new ControlView(clients.reader("vigil-control-api"), common.topicPrefix()));
        ControlWriter writer = startPart(new ControlWriter(controlProducer(clients, "vigil-control-api"), common.topicPrefix(), view));
        frames = config.latestFrames()
                ? startPart(new LatestFrames(clients.reader("vigil-control-api-frames"), common.topicPrefix()))
                : null;
        ReadBarrier barrier = config.readBarrier()
                ? startPart(new ReadBarrier(clients.admin("vigil-control-api"), view, config.requestTimeout()))
                : null;
        deliveries = startPart(new DeliveryLog(clients.reader("vigil-control-api-deliveries"),
                config.readBarrier() ? clients.admin("vigil-control-api-deliveries") : null, common.topicPrefix(),
                config.deliveries()));
        replays = startPart(new ReplayWriter(controlProducer(clients, "vigil-control-api-replay"), common.topicPrefix(),
                Clock.systemUTC()));
        // Not ready until it has read the index topics up to their ends at start; start() does not wait for that.
        records = startPart(new RecordsStore(clients.reader("vigil-control-api-records"), common.topicPrefix(),
                config.records()));
        // The segment index is read whether or not this instance has storage: cheap, and ready for when it has.
        segments = startPart(new SegmentIndex(clients.reader("vigil-control-api-segments"), common.topicPrefix(),
                config.playback().maxSegmentsPerStream()));
        frameLookup = config.latestFrames() ? new FrameLookup(clients.reader("vigil-control-api-snapshots"), common.topicPrefix())
                : null;
        links = new PlaybackLinks(new SignedUrls(config.secretKeys().orElseThrow(), Clock.systemUTC()));
        if (store != null) {
            log.info("Playback from {}", store.describe());
        }
        api = new ApiContext(vertx, config, view, writer, barrier,
                new WsTickets(ticketSecret, config.wsTicketTtl(), Clock.systemUTC()),
                new CallbackUrlPolicy(config.allowPrivateCallbacks(), resolver), resolver,
                // A text model makes prompts outside the vocabulary judged events instead of 422s.
                RuleCompiler.create(config.models().textAvailable()), Clock.systemUTC());
        log.info("Control API ready for {} collection(s)", config.apiKeys().values().stream().distinct().count());
    }

    /**
     * A producer for writes a request waits on: a short {@code max.block.ms}, so an unreachable Kafka
     * gives the client a 503 within seconds rather than holding a thread for the default minute.
     */
    private Map<String, Object> controlProducer(KafkaClients clients, String clientId) {
        Map<String, Object> config = new HashMap<>(clients.producer(clientId));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) this.config.kafkaMaxBlock().toMillis());
        return config;
    }

    private <S extends Service> S startPart(S part) throws Exception {
        try {
            part.start();
        } catch (Exception e) {
            close();
            throw e;
        }
        started.add(0, part);
        return part;
    }

    /** Adds the REST routes; call after {@link #start()}. */
    public void mount(Router router) {
        if (api == null) {
            throw new IllegalStateException("start the control API before mounting it");
        }
        ControlApi.mount(router, vertx, api, new ControlApi.Parts(records, deliveries, replays, frames,
                segments, store, links, frameLookup));
    }

    public ControlView view() {
        return view;
    }

    public DeliveryLog deliveries() {
        return deliveries;
    }

    /** The recording's segment index. */
    public SegmentIndex segments() {
        return segments;
    }

    /** The records store (transcript, scene and audio records; search). */
    public RecordsStore records() {
        return records;
    }

    @Override
    public boolean isReady() {
        return api != null && started.stream().allMatch(Service::isReady);
    }

    /** False once a part (a reader past its restart budget) cannot recover. */
    @Override
    public boolean isAlive() {
        return started.stream().allMatch(Service::isAlive);
    }

    @Override
    public void close() {
        for (Service part : started) {
            try {
                part.close();
            } catch (RuntimeException e) {
                log.warn("{} did not close cleanly", part.name(), e);
            }
        }
        started.clear();
        api = null;

    }
}
