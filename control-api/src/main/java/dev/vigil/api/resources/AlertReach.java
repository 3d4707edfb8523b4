package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import dev.vigil.rules.reach.RuleReach;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.IndexSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Refuses an alert that can never fire: its event's condition cannot hold on any record of the
 * index (a scene-only event on a transcript index, a zone the index does not define), proven by
 * {@link RuleReach}. Better a 422 saying why at creation than an alert that silently never fires.
 */
final class AlertReach {

    /** The 422 {@code error_code}. */
    static final String NEVER_FIRES = "alert_never_fires";

    private AlertReach() {
    }

    /** Throws a 422 {@link ApiError} when {@code event} can never fire on records of {@code index}. */
    static void requireCanFire(EventRule event, IndexSpec index) {
        RuleReach.whyNeverFires(event.getCondition(), channelOf(index), zonesOf(index)).ifPresent(why -> {
            throw ApiError.unprocessable(NEVER_FIRES, "This alert could never fire: " + why);
        });
    }

    static Channel channelOf(IndexSpec index) {
        return switch (index.getIndexType()) {
            case TRANSCRIPT -> Channel.TRANSCRIPT;
            case SCENE -> Channel.SCENE_INDEX;
            case AUDIO -> Channel.AUDIO_INDEX;
        };
    }

    /** Zone names of a scene index ({@code extraction_config.zones}: JSON object name → polygon). */
    static List<String> zonesOf(IndexSpec index) {
        String json = index.getExtractionConfig().get("zones");
        if (index.getIndexType() != dev.vigil.schemas.control.IndexType.SCENE || json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(new JsonObject(json).fieldNames());
        } catch (DecodeException | ClassCastException e) {
            return List.of(); // validated when the index was created; an unreadable one defines no zones
        }
    }
}
