package dev.vigil.api.resources;

import dev.vigil.api.ControlApiConfig;
import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.Tenant;
import dev.vigil.api.quota.Quotas;
import dev.vigil.api.state.ControlView;
import dev.vigil.api.state.ControlWriter;
import dev.vigil.api.state.ReadBarrier;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.common.net.CallbackUrlPolicy;
import dev.vigil.common.net.HostResolver;
import dev.vigil.common.net.UrlPolicy;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.WebhookSecrets;
import dev.vigil.rules.RuleCompiler;
import dev.vigil.schemas.TopicDef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What every resource handler needs: the control view and writer, the read barrier, the policies,
 * and the glue that turns Kafka's completion stages into Vert.x futures on the request's context.
 */
public final class ApiContext {

    private final Vertx vertx;
    private final ControlApiConfig config;
    private final ControlView view;
    private final ControlWriter writer;
    private final ReadBarrier barrier;
    private final WsTickets tickets;
    private final CallbackUrlPolicy callbacks;
    private final UrlPolicy sources;
    private final RuleCompiler rules;
    private final Clock clock;
    private final Quotas quotas;
    private final WebhookSecrets webhookSecrets;

    public ApiContext(Vertx vertx, ControlApiConfig config, ControlView view, ControlWriter writer, ReadBarrier barrier,
            WsTickets tickets, CallbackUrlPolicy callbacks, RuleCompiler rules, Clock clock) {
        this(vertx, config, view, writer, barrier, tickets, callbacks, HostResolver.system(), rules, clock);
    }

    /** {@code resolver}: how stream source hosts are resolved for their SSRF check. */
    public ApiContext(Vertx vertx, ControlApiConfig config, ControlView view, ControlWriter writer, ReadBarrier barrier,
            WsTickets tickets, CallbackUrlPolicy callbacks, HostResolver resolver, RuleCompiler rules, Clock clock) {
        this.sources = config == null ? null : config.sources().policy(resolver);
        this.vertx = vertx;
        this.config = config;
        this.view = view;
        this.writer = writer;
        this.barrier = barrier;
        this.tickets = tickets;
        this.callbacks = callbacks;
        this.rules = rules;
        this.clock = clock;
        this.quotas = new Quotas(config.quotas(), view, System::nanoTime);
        // Without keys (only documents and tests that create no alert build a context so) creating a
        // webhook alert fails; ControlApiService refuses to start without them.
        this.webhookSecrets = config.secretKeys().map(WebhookSecrets::new).orElse(null);
    }

    /** Seals, rotates and re-seals alerts' webhook signing secrets. */
    public WebhookSecrets webhookSecrets() {
        if (webhookSecrets == null) {
            throw new IllegalStateException(SecretKeys.KEYS.env() + " is not set");
        }
        return webhookSecrets;
    }

    /** Catches up with writes acknowledged anywhere before this read (when the barrier is on). */
    public Future<Void> beforeRead() {
        if (barrier == null) {
            return Future.succeededFuture();
        }
        return fromKafka(barrier.sync());
    }

    /** Writes to a control topic; completes when this instance's view shows the write. */
    public <V> Future<Void> write(TopicDef<String, V> topic, String key, V value) {
        return fromKafka(writer.write(topic, key, value));
    }

    private <T> Future<T> fromKafka(CompletableFuture<T> stage) {
        CompletableFuture<T> bounded = stage.orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return Future.fromCompletionStage(bounded, vertx.getOrCreateContext())
                .recover(e -> Future.failedFuture(KafkaFailures.toApiError(e)));
    }

    /** Runs blocking work (DNS lookups) off the event loop. */
    public <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /** Answers with {@code render(result)} or fails the context; the failure handler renders errors. */
    public static <T> void respond(RoutingContext ctx, Future<T> future, Function<T, io.vertx.core.json.JsonObject> render,
            boolean created) {
        future.onSuccess(result -> {
            try {
                io.vertx.core.json.JsonObject data = render.apply(result);
                if (created) {
                    dev.vigil.api.http.Envelope.created(ctx, data);
                } else {
                    dev.vigil.api.http.Envelope.ok(ctx, data);
                }
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        }).onFailure(ctx::fail);
    }

    /** Runs {@code handler}, turning a thrown {@link ApiError} into a failed request. */
    public static void guarded(RoutingContext ctx, java.util.function.Consumer<RoutingContext> handler) {
        try {
            handler.accept(ctx);
        } catch (ApiError e) {
            ctx.fail(e);
        }
    }

    public Tenant tenant(RoutingContext ctx) {
        return Tenant.of(ctx);
    }

    public ControlApiConfig config() {
        return config;
    }

    public ControlView view() {
        return view;
    }

    public WsTickets tickets() {
        return tickets;
    }

    public CallbackUrlPolicy callbacks() {
        return callbacks;
    }

    /** The SSRF guard for stream source URLs ({@code VIGIL_SOURCES_*}). */
    public UrlPolicy sources() {
        return sources;
    }

    public RuleCompiler rules() {
        return rules;
    }

    public Clock clock() {
        return clock;
    }

    /** The per-collection limits; count checks read the view, so call them after {@link #beforeRead()}. */
    public Quotas quotas() {
        return quotas;
    }
}
