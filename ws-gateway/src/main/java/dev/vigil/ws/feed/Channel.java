package dev.vigil.ws.feed;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The WebSocket channels the gateway delivers (ws/DESIGN.md), with their names on the wire. */
public enum Channel {
    TRANSCRIPT("transcript"),
    SCENE_INDEX("scene_index"),
    AUDIO_INDEX("audio_index"),
    ALERT("alert");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code channel} value of a frame, e.g. {@code scene_index}. */
    public String wireName() {
        return wireName;
    }

    /** The channel called {@code name} on the wire, if any (case-insensitive). */
    public static Optional<Channel> fromWireName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.wireName.equals(lower)).findFirst();
    }
}
