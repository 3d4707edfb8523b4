package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.JsonBody;
import dev.vigil.api.http.Tenant;
import dev.vigil.api.quota.Quota;
import dev.vigil.common.ids.Ids;
import dev.vigil.rules.CompiledRule;
import dev.vigil.rules.RuleException;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.EventRule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Events ({@code /rtstream/event}): reusable detection rules. Every event is compiled by the rules
 * module when created — a prompt into an explicit CEL condition that is stored and shown, or a
 * condition checked as given — and refused with 422 and the compiler's explanation when it cannot
 * be.
 */
public final class EventResource {

    private static final int MAX_LABEL = 100;

    private final ApiContext api;

    public EventResource(ApiContext api) {
        this.api = api;
    }

    public void mount(Router router) {
        router.post("/rtstream/event").handler(ctx -> ApiContext.guarded(ctx, this::handleCreate));
        router.get("/rtstream/event").handler(ctx -> ApiContext.guarded(ctx, this::handleList));
        router.get("/rtstream/event/:eid").handler(ctx -> ApiContext.guarded(ctx, this::handleGet));
        router.delete("/rtstream/event/:eid").handler(ctx -> ApiContext.guarded(ctx, this::handleDelete));
    }

    /** The caller's event {@code id}; else 404. */
    static EventRule ownedEvent(ApiContext api, Tenant tenant, String id) {
        EventRule event = id != null && Ids.isShortId(id) ? api.view().event(id) : null;
        if (event == null || !tenant.owns(event.getCollectionId())) {
            throw ApiError.notFound("event", id);
        }
        return event;
    }

    private void handleCreate(RoutingContext ctx) {
        Tenant tenant = api.tenant(ctx);
        JsonBody body = JsonBody.of(ctx);
        String prompt = body.string("event_prompt", false, 2000);
        String label = body.string("label", true, MAX_LABEL);
        String condition = body.string("condition", false, 4000);
        if (prompt == null && condition == null && !body.has("event_prompt")) {
            body.reject("event_prompt", "is required (or give an explicit 'condition')");
        }
        body.validate();
        // Compiling CEL takes milliseconds: off the event loop.
        Future<CompiledRule> compiled = api.blocking(() -> {
            try {
                return api.rules().compile(prompt, condition);
            } catch (RuleException e) {
                throw ApiError.unprocessable(e.errorCode(), e.getMessage());
            }
        });
        Future<EventRule> written = compiled.compose(rule -> api.beforeRead()).compose(v -> {
            api.quotas().checkRoomFor(Quota.EVENTS, tenant.collectionId());
            CompiledRule rule = compiled.result();
            Instant now = api.clock().instant();
            EventRule event = EventRule.newBuilder()
                    .setId(Ids.shortId())
                    .setCollectionId(tenant.collectionId())
                    .setEventPrompt(prompt != null ? prompt : condition)
                    .setLabel(label)
                    .setCondition(rule.condition())
                    .setConditionOrigin(rule.origin())
                    .setCreatedAt(now)
                    .setUpdatedAt(now)
                    .build();
            return api.write(Topics.EVENTS, event.getId(), event).map(x -> event);
        });
        ApiContext.respond(ctx, compiled.compose(rule -> written.map(event ->
                ApiJson.event(event).put("explanation", rule.explanation()))), json -> json, true);
    }

    private void handleList(RoutingContext ctx) {
        Tenant tenant = api.tenant(ctx);
        ApiContext.respond(ctx, api.beforeRead(), v -> {
            JsonArray events = new JsonArray();
            api.view().events().stream()
                    .filter(e -> tenant.owns(e.getCollectionId()))
                    .sorted(Comparator.comparing(EventRule::getCreatedAt))
                    .forEach(e -> events.add(ApiJson.event(e)));
            return new JsonObject().put("events", events);
        }, false);
    }

    private void handleGet(RoutingContext ctx) {
        ApiContext.respond(ctx, api.beforeRead(),
                v -> ApiJson.event(ownedEvent(api, api.tenant(ctx), ctx.pathParam("eid"))), false);
    }

    /** Deleting an event that alerts still use would leave them dangling: 409 naming them. */
    private void handleDelete(RoutingContext ctx) {
        Future<JsonObject> done = api.beforeRead().compose(v -> {
            EventRule event = ownedEvent(api, api.tenant(ctx), ctx.pathParam("eid"));
            List<String> users = api.view().alerts().stream()
                    .filter(a -> a.getEventId().equals(event.getId())).map(a -> a.getId()).sorted().toList();
            if (!users.isEmpty()) {
                throw ApiError.conflict("event " + event.getId() + " is used by alerts " + users + "; delete them first");
            }
            return api.write(Topics.EVENTS, event.getId(), null)
                    .map(x -> new JsonObject().put("event_id", event.getId()).put("deleted", true));
        });
        ApiContext.respond(ctx, done, json -> json, false);
    }
}
