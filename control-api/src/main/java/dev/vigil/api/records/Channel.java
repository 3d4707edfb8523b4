package dev.vigil.api.records;

import java.util.Locale;

/**
 * Which index topic a record came from, named as the WebSocket channels name them (ws-gateway's ws/DESIGN.md):
 * {@code transcript}, {@code scene_index}, {@code audio_index}.
 */
public enum Channel {
    TRANSCRIPT("transcript"),
    SCENE_INDEX("scene_index"),
    AUDIO_INDEX("audio_index");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    /** The name on the wire and in the index. */
    public String wire() {
        return wire;
    }

    /** The index type as {@code GET /rtstream/{id}/index/{iid}} reports it. */
    public String indexType() {
        return switch (this) {
            case TRANSCRIPT -> "transcript";
            case SCENE_INDEX -> "scene";
            case AUDIO_INDEX -> "audio";
        };
    }

    static Channel fromWire(String wire) {
        for (Channel c : values()) {
            if (c.wire.equals(wire)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown channel " + wire.toLowerCase(Locale.ROOT));
    }
}
