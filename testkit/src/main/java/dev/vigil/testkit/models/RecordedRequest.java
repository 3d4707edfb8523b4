package dev.vigil.testkit.models;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request {@link FakeModelServer} received: its path, Authorization header, JSON body (chat,
 * embeddings) or multipart fields and file (transcriptions).
 *
 * @param form     multipart fields, each with all its values ({@code timestamp_granularities[]} repeats)
 * @param file     the uploaded {@code file} part, or null
 * @param fileName its file name, or null
 */
public record RecordedRequest(String path, String authorization, JsonObject json, Map<String, List<String>> form,
        byte[] file, String fileName) {

    /** The model asked for. */
    public String model() {
        if (json != null) {
            return json.getString("model");
        }
        List<String> m = form.get("model");
        return m == null || m.isEmpty() ? null : m.get(0);
    }

    /** Every text of every chat message, system and user, in order (string contents and text parts). */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Object o : messages()) {
            Object content = ((JsonObject) o).getValue("content");
            if (content instanceof String s) {
                out.add(s);
            } else if (content instanceof JsonArray parts) {
                for (Object p : parts) {
                    JsonObject part = (JsonObject) p;
                    if ("text".equals(part.getString("type"))) {
                        out.add(part.getString("text"));
                    }
                }
            }
        }
        return out;
    }

    /** The {@code image_url.url} of every image part, in order. */
    public List<String> imageUrls() {
        List<String> out = new ArrayList<>();
        for (Object o : messages()) {
            if (((JsonObject) o).getValue("content") instanceof JsonArray parts) {
                for (Object p : parts) {
                    JsonObject part = (JsonObject) p;
                    if ("image_url".equals(part.getString("type"))) {
                        out.add(part.getJsonObject("image_url").getString("url"));
                    }
                }
            }
        }
        return out;
    }

    /** One multipart field's first value, or null. */
    public String formValue(String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private JsonArray messages() {
        return json == null ? new JsonArray() : json.getJsonArray("messages", new JsonArray());
    }
}
