package dev.vigil.api.playback;

import dev.vigil.common.storage.SegmentStore;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports of a stream's latest recording session as one MP4 in the segment store, next to a small JSON
 * description, both under {@code <collection>/<rtstream>/exports/}. The video id is name-based on the
 * stream and session, so exporting the same recording again finds the stored MP4 and returns the same
 * asset without remuxing (the idempotence VideoDB's SDK documents for {@code RTStream.export}); any
 * instance answers, since the store is shared. Blocking: call from worker threads.
 */
final class Exports {

    private static final Logger log = LoggerFactory.getLogger(Exports.class);
    private static final UUID NAMESPACE = UUID.fromString("5b0e7d0c-3f6a-4c55-9d0b-5a8f1f7f4e21");

    /** One export as stored. */
    record Export(String videoId, String rtstreamId, String collectionId, String sessionId, String name,
            double durationSeconds, long bytes, Instant createdAt) {

        JsonObject toJson() {
            return new JsonObject().put("video_id", videoId).put("rtstream_id", rtstreamId)
                    .put("collection_id", collectionId).put("session_id", sessionId).put("name", name)
                    .put("duration", durationSeconds).put("bytes", bytes).put("created_at", createdAt.toString());
        }

        static Export fromJson(JsonObject json) {
            return new Export(json.getString("video_id"), json.getString("rtstream_id"), json.getString("collection_id"),
                    json.getString("session_id"), json.getString("name"), json.getDouble("duration"),
                    json.getLong("bytes"), Instant.parse(json.getString("created_at")));
        }
    }

    private final SegmentStore store;

    Exports(SegmentStore store) {
        this.store = store;
    }

    /** The video id of the export of {@code sessionId}: {@code m-<uuid>}, the same on every call and instance. */
    static String videoId(String rtstreamId, String sessionId) {
        return "m-" + UUID.nameUUIDFromBytes((NAMESPACE + "/" + rtstreamId + "/" + sessionId)
                .getBytes(StandardCharsets.UTF_8));
    }

    static boolean isVideoId(String s) {
        return s != null && s.matches("m-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    static String mp4Key(String collectionId, String rtstreamId, String videoId) {
        return collectionId + "/" + rtstreamId + "/exports/" + videoId + ".mp4";
    }

    private static String descriptionKey(String collectionId, String rtstreamId, String videoId) {
        return collectionId + "/" + rtstreamId + "/exports/" + videoId + ".json";
    }

    /** The stored export, if there is one. */
    Optional<Export> find(String collectionId, String rtstreamId, String videoId) throws IOException {
        try (InputStream in = store.open(descriptionKey(collectionId, rtstreamId, videoId))) {
            return Optional.of(Export.fromJson(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The export of the session {@code segments} belong to (ordered by start, one session): the stored one, or
     * a new one remuxed now.
     */
    Export exportSession(String collectionId, String rtstreamId, String name, List<Segment> segments) throws IOException {
        String sessionId = segments.get(0).sessionId();
        String videoId = videoId(rtstreamId, sessionId);
        Optional<Export> existing = find(collectionId, rtstreamId, videoId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path dir = Files.createTempDirectory("vigil-export-");
        try {
            Path ts = dir.resolve("session.ts");
            try (OutputStream out = Files.newOutputStream(ts)) {
                for (Segment s : segments) {
                    try (InputStream in = store.open(s.key())) {
                        in.transferTo(out);
                    }
                }
            }
            Path mp4 = dir.resolve(videoId + ".mp4");
            double duration = Mp4Remuxer.remux(ts, mp4);
            Export export = new Export(videoId, rtstreamId, collectionId, sessionId, name,
                    Math.round(duration * 1000) / 1000.0, Files.size(mp4), Instant.now());
            store.put(mp4Key(collectionId, rtstreamId, videoId), mp4, "video/mp4");
            Path description = dir.resolve(videoId + ".json");
            Files.writeString(description, export.toJson().encode());
            // Written last: its presence says the MP4 is complete.
            store.put(descriptionKey(collectionId, rtstreamId, videoId), description, "application/json");
            log.info("Exported {} segments of {} session {} as {} ({} s, {} bytes)", segments.size(), rtstreamId, sessionId,
                    videoId, export.durationSeconds(), export.bytes());
            return export;
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            log.warn("Temporary export directory {} not removed: {}", dir, e.toString());
        }
    }
}
