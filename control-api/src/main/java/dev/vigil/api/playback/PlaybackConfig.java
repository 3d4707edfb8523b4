package dev.vigil.api.playback;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import dev.vigil.common.playback.PublicUrl;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the playback API: the public base URL of links, how long links live, the longest range one
 * playlist may cover, how many segments the in-memory index keeps per stream, and how much memory keeps clips'
 * cut first and last segments.
 *
 * @param publicUrl         base of handed-out links; empty: derived from each request's Host
 * @param linkTtl           validity of stream_url / player_url / export links
 * @param maxRange          longest start..end one playlist covers
 * @param maxSegmentsPerStream bound of the segment index per stream (oldest forgotten beyond it)
 * @param cutCacheBytes     bound of the cut segment parts kept in memory; 0: every request cuts
 */
public record PlaybackConfig(Optional<URI> publicUrl, Duration linkTtl, Duration maxRange, int maxSegmentsPerStream,
        long cutCacheBytes) {

    public static final Setting<Duration> LINK_TTL = Settings.duration("VIGIL_PLAYBACK_LINK_TTL", Duration.ofHours(1),
            "How long the stream_url, player_url and export links of the playback API stay valid (signed with "
                    + "VIGIL_SECRETS_KEYS; after it the client asks again).")
            .check(d -> d.toSeconds() >= 10 && d.toDays() <= 7, "between 10s and 7d");
    public static final Setting<Duration> MAX_RANGE = Settings.duration("VIGIL_PLAYBACK_MAX_RANGE", Duration.ofHours(6),
            "Longest time range one playlist (GET /rtstream/{id}/stream) may cover; longer ones get 400.")
            .check(d -> d.toSeconds() >= 10 && d.toDays() <= 7, "between 10s and 7d");
    public static final Setting<Integer> MAX_SEGMENTS_PER_STREAM = Settings.integer("VIGIL_PLAYBACK_INDEX_MAX_SEGMENTS",
            100_000, 100, 10_000_000, "Recorded segments the segment index keeps in memory per stream (about 200 bytes "
                    + "each; 4-second segments make 21,600 a day); older ones cannot be played back from this instance.");

    public static final Setting<Integer> CUT_CACHE_MB = Settings.integer("VIGIL_PLAYBACK_CUT_CACHE_MB", 64, 0, 65_536,
            "Memory (MiB) that keeps clips' first and last segments once cut to the clip's range, so a clip opened "
                    + "again or by several viewers is not fetched and cut again (parts unused for 10 minutes are "
                    + "dropped); 0 cuts on every request.");

    public static final List<Setting<?>> SETTINGS = List.of(PublicUrl.SETTING, LINK_TTL, MAX_RANGE, MAX_SEGMENTS_PER_STREAM,
            CUT_CACHE_MB);

    public static PlaybackConfig from(ConfigValues values) {
        return new PlaybackConfig(values.find(PublicUrl.SETTING), values.get(LINK_TTL), values.get(MAX_RANGE),
                values.get(MAX_SEGMENTS_PER_STREAM), values.get(CUT_CACHE_MB) * 1024L * 1024L);
    }
}
