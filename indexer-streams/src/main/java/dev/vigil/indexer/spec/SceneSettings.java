package dev.vigil.indexer.spec;

import dev.vigil.schemas.control.IndexSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a scene index asks for, read from its {@code extraction_config}: window length
 * ({@code time}, seconds, default 2), frames analysed per window ({@code frame_count}, default 5)
 * and named zones ({@code zones}: JSON {@code {"loading_dock": [[x, y], …]}}, relative coordinates;
 * points above 1 are taken as pixels). Bad values fall back to the defaults with a warning: control-api
 * validates them already, so this only guards against hand-written specs.
 */
public record SceneSettings(long windowMs, int frameCount, List<Zone> zones) {

    private static final Logger log = LoggerFactory.getLogger(SceneSettings.class);

    public static SceneSettings of(IndexSpec spec) {
        Map<String, String> config = spec.getExtractionConfig();
        long seconds = Parse.longIn(config.get("time"), 1, 3600, 2, spec.getId(), "time");
        int frames = (int) Parse.longIn(config.get("frame_count"), 1, 60, 5, spec.getId(), "frame_count");
        return new SceneSettings(seconds * 1000, frames, zones(config.get("zones"), spec.getId()));
    }

    static List<Zone> zones(String json, String indexId) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<Zone> zones = new ArrayList<>();
        try {
            JsonObject object = new JsonObject(json);
            for (Map.Entry<String, Object> e : object) {
                if (!(e.getValue() instanceof JsonArray points) || points.size() < 3) {
                    log.warn("Index {}: zone '{}' needs at least 3 [x, y] points; ignored", indexId, e.getKey());
                    continue;
                }
                double[] xs = new double[points.size()];
                double[] ys = new double[points.size()];
                boolean pixels = false;
                for (int i = 0; i < points.size(); i++) {
                    JsonArray p = points.getJsonArray(i);
                    xs[i] = p.getDouble(0);
                    ys[i] = p.getDouble(1);
                    pixels |= xs[i] > 1.0 || ys[i] > 1.0;
                }
                String key = Zone.keyOf(e.getKey());
                if (!key.isEmpty()) {
                    zones.add(new Zone(key, xs, ys, pixels));
                }
            }
        } catch (DecodeException | ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
            log.warn("Index {}: extraction_config.zones is not {{\"name\": [[x, y], …]}}: {}; no zones", indexId, e.getMessage());
            return List.of();
        }
        return List.copyOf(zones);
    }
}
