package dev.vigil.api;

import dev.vigil.common.storage.SegmentStore;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.media.RecordingSegment;
import dev.vigil.schemas.media.SegmentContainer;
import dev.vigil.testkit.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One recording session as the recorder leaves it, made for tests: real MPEG-TS segments (H.264 + AAC, 1 s
 * each, FFmpeg's segment muxer on a test pattern with a tone), stored in a {@link SegmentStore} under the
 * recorder's key layout, and their {@link RecordingSegment} records produced to the real broker.
 */
final class RecordedSession {

    final List<RecordingSegment> segments;

    private RecordedSession(List<RecordingSegment> segments) {
        this.segments = segments;
    }

    /** Records {@code seconds} of media for {@code rtstreamId} starting at wall-clock {@code startMs}. */
    static RecordedSession record(TestKafka kafka, String prefix, SegmentStore store, String collectionId,
            String rtstreamId, String sessionId, long startMs, int seconds) throws Exception {
        return record(kafka, prefix, store, collectionId, rtstreamId, sessionId, startMs, seconds, 1, 25);
    }

    /**
     * As {@link #record(TestKafka, String, SegmentStore, String, String, String, long, int)} with segments of
     * {@code segmentSeconds} and a key frame every {@code keyFrameInterval} frames (25 a second).
     */
    static RecordedSession record(TestKafka kafka, String prefix, SegmentStore store, String collectionId,
            String rtstreamId, String sessionId, long startMs, int seconds, int segmentSeconds, int keyFrameInterval)
            throws Exception {
        Live live = new Live(kafka, prefix, store, collectionId, rtstreamId, sessionId, startMs,
                generate(seconds, segmentSeconds, keyFrameInterval));
        while (live.publishNext()) {
            // every segment at once
        }
        return new RecordedSession(live.published());
    }

    /** Segment files of one FFmpeg run, with their times (seconds from the run's start). */
    private record Generated(Path file, double start, double end) {
    }

    private static List<Generated> generate(int seconds, int segmentSeconds, int keyFrameInterval) throws Exception {
        Path dir = Files.createTempDirectory("vigil-segments");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                // Every segment starts with a key frame (as the recorder's do).
                "-g", Integer.toString(keyFrameInterval), "-keyint_min", Integer.toString(keyFrameInterval),
                "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k",
                "-f", "segment", "-segment_time", Integer.toString(segmentSeconds), "-segment_format", "mpegts",
                "-segment_list", dir.resolve("list.csv").toString(), "-segment_list_type", "csv",
                dir.resolve("seg%03d.ts").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            ffmpeg.destroyForcibly();
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
        }
        List<Generated> generated = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("list.csv"))) {
            String[] cols = line.split(",");
            generated.add(new Generated(dir.resolve(cols[0]), Double.parseDouble(cols[1]), Double.parseDouble(cols[2])));
        }
        return generated;
    }

    /**
     * A session published segment by segment, as a recorder does while the stream runs: each {@link #publishNext}
     * stores the next segment and produces its index record.
     */
    static Live live(TestKafka kafka, String prefix, SegmentStore store, String collectionId, String rtstreamId,
            String sessionId, long startMs, int seconds) throws Exception {
        return new Live(kafka, prefix, store, collectionId, rtstreamId, sessionId, startMs, generate(seconds, 1, 25));
    }

    static final class Live {
        private final TestKafka kafka;
        private final String prefix;
        private final SegmentStore store;
        private final String collectionId;
        private final String rtstreamId;
        private final String sessionId;
        private final long startMs;
        private final List<Generated> generated;
        private final List<RecordingSegment> published = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Live(TestKafka kafka, String prefix, SegmentStore store, String collectionId, String rtstreamId,
                String sessionId, long startMs, List<Generated> generated) {
            this.kafka = kafka;
            this.prefix = prefix;
            this.store = store;
            this.collectionId = collectionId;
            this.rtstreamId = rtstreamId;
            this.sessionId = sessionId;
            this.startMs = startMs;
            this.generated = generated;
        }

        /** Publishes the next segment; false when all are. */
        synchronized boolean publishNext() throws IOException {
            int seq = published.size();
            if (seq >= generated.size()) {
                return false;
            }
            Generated g = generated.get(seq);
            long start = startMs + Math.round(g.start() * 1000);
            long end = startMs + Math.round(g.end() * 1000);
            String key = collectionId + "/" + rtstreamId + "/" + start + "-" + sessionId + "-" + seq + ".ts";
            store.put(key, g.file(), "video/mp2t");
            RecordingSegment segment = RecordingSegment.newBuilder()
                    .setRtstreamId(rtstreamId).setCollectionId(collectionId).setKey(key).setSessionId(sessionId)
                    .setSeq(seq).setStart(Instant.ofEpochMilli(start)).setEnd(Instant.ofEpochMilli(end))
                    .setBytes(Files.size(g.file())).setContainer(SegmentContainer.MPEGTS)
                    .setVideoCodec("h264").setAudioCodec("aac").setWidth(320).setHeight(240)
                    .setDiscontinuity(seq == 0).setWorkerId("test").build();
            kafka.send(prefix, Topics.RECORDING_SEGMENTS, key, segment);
            published.add(segment);
            return true;
        }

        List<RecordingSegment> published() {
            return List.copyOf(published);
        }
    }

    long startMs() {
        return segments.get(0).getStart().toEpochMilli();
    }

    long endMs() {
        return segments.get(segments.size() - 1).getEnd().toEpochMilli();
    }
}
