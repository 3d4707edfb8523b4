package dev.vigil.api.resources;

import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.AlertStatus;
import dev.vigil.schemas.control.DesiredState;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Renders control state in VideoDB's JSON shapes (snake_case keys; the Node SDK camel-cases them).
 * Resource times are ISO-8601 strings, as VideoDB's API returns them.
 */
final class ApiJson {

    private ApiJson() {
    }

    static JsonObject stream(RtStreamSpec s, StreamStatus status) {
        JsonArray media = new JsonArray();
        for (MediaType t : s.getMediaTypes()) {
            media.add(t.name().toLowerCase(Locale.ROOT));
        }
        JsonObject json = new JsonObject()
                .put("id", s.getId())
                .put("name", s.getName())
                .put("collection_id", s.getCollectionId())
                .put("url", s.getUrl())
                .put("media_types", media)
                .put("sample_rate", s.getSampleRate())
                .put("store", s.getStore())
                .put("enable_transcript", s.getEnableTranscript())
                .put("realtime", s.getRealtime())
                .put("status", s.getDesiredState() == DesiredState.STARTED ? "connected" : "stopped")
                .put("ws_connection_id", s.getWsConnectionId())
                .put("created_at", s.getCreatedAt().toString())
                .put("updated_at", s.getUpdatedAt().toString());
        json.put("ingest", ingest(s, status));
        return json;
    }

    /** What the owning ingest worker reports; "pending" until a worker has picked the stream up. */
    private static JsonObject ingest(RtStreamSpec s, StreamStatus status) {
        if (status == null) {
            return new JsonObject().put("state", s.getDesiredState() == DesiredState.STARTED ? "pending" : "stopped");
        }
        JsonObject json = new JsonObject()
                .put("state", status.getState().name().toLowerCase(Locale.ROOT))
                // The worker's reason may quote the source URL; the credentials in it are not for display.
                .put("reason", StreamUrls.redactCredentials(status.getReason()))
                .put("worker_id", status.getWorkerId())
                .put("reconnects", status.getReconnects())
                .put("updated_at", status.getUpdatedAt().toString());
        if (status.getRecording() != null) {
            // store=true streams: recording, degraded (the segment store fails; indexing goes on), unsupported, error.
            json.put("recording", status.getRecording().name().toLowerCase(Locale.ROOT))
                    .put("recording_reason", StreamUrls.redactCredentials(status.getRecordingReason()));
        }
        return json;
    }

    static JsonObject index(IndexSpec i) {
        return new JsonObject()
                .put("rtstream_index_id", i.getId())
                .put("rtstream_id", i.getRtstreamId())
                .put("index_type", i.getIndexType().name().toLowerCase(Locale.ROOT))
                .put("name", i.getName())
                .put("extraction_type", i.getExtractionType())
                .put("extraction_config", extractionConfig(i.getExtractionConfig()))
                .put("prompt", i.getPrompt())
                .put("model_name", i.getModelName())
                .put("engine", i.getEngine())
                .put("status", i.getState() == IndexState.RUNNING ? "connected" : "stopped")
                .put("ws_connection_id", i.getWsConnectionId())
                .put("created_at", i.getCreatedAt().toString())
                .put("updated_at", i.getUpdatedAt().toString());
    }

    /** Config values are stored as strings; numbers go back out as numbers. */
    private static JsonObject extractionConfig(Map<String, String> config) {
        JsonObject json = new JsonObject();
        new java.util.TreeMap<>(config).forEach((k, v) -> json.put(k, numberOrString(v)));
        return json;
    }

    static Object numberOrString(String v) {
        if (v.matches("-?\\d{1,15}")) {
            return Long.parseLong(v);
        }
        if (v.matches("-?\\d{1,15}\\.\\d{1,15}")) {
            return Double.parseDouble(v);
        }
        return v;
    }

    static JsonObject event(EventRule e) {
        return new JsonObject()
                .put("event_id", e.getId())
                .put("event_prompt", e.getEventPrompt())
                .put("label", e.getLabel())
                .put("condition", e.getCondition())
                .put("condition_origin", e.getConditionOrigin().name().toLowerCase(Locale.ROOT))
                .put("created_at", e.getCreatedAt().toString());
    }

    /** An alert as listed; the webhook secret is never shown again after creation. */
    static JsonObject alert(AlertBinding a, EventRule event) {
        return new JsonObject()
                .put("alert_id", a.getId())
                .put("event_id", a.getEventId())
                .put("prompt", event == null ? null : event.getEventPrompt())
                .put("label", event == null ? null : event.getLabel())
                .put("rtstream_id", a.getRtstreamId())
                .put("index_id", a.getIndexId())
                .put("callback_url", a.getCallbackUrl())
                .put("ws_connection_id", a.getWsConnectionId())
                .put("status", a.getStatus() == AlertStatus.ENABLED ? "enabled" : "disabled")
                .put("disabled_reason", a.getDisabledReason())
                .put("cooldown_s", a.getCooldownS())
                .put("created_at", a.getCreatedAt().toString());
    }
}
