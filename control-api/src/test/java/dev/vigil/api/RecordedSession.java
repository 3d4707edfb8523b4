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
        Path dir = Files.createTempDirectory("vigil-segments");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                // A key frame every second, so every 1 s segment starts with one (as the recorder's do).
                "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "64k",
                "-f", "segment", "-segment_time", "1", "-segment_format", "mpegts",
                "-segment_list", dir.resolve("list.csv").toString(), "-segment_list_type", "csv",
                dir.resolve("seg%03d.ts").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            ffmpeg.destroyForcibly();
            throw new IOException("ffmpeg failed: " + Files.readString(dir.resolve("ffmpeg.log")));
        }
        List<RecordingSegment> segments = new ArrayList<>();
        long seq = 0;
        for (String line : Files.readAllLines(dir.resolve("list.csv"))) {
            String[] cols = line.split(",");
            long start = startMs + Math.round(Double.parseDouble(cols[1]) * 1000);
            long end = startMs + Math.round(Double.parseDouble(cols[2]) * 1000);
            String key = collectionId + "/" + rtstreamId + "/" + start + "-" + sessionId + "-" + seq + ".ts";
            Path file = dir.resolve(cols[0]);
            store.put(key, file, "video/mp2t");
            RecordingSegment segment = RecordingSegment.newBuilder()
                    .setRtstreamId(rtstreamId).setCollectionId(collectionId).setKey(key).setSessionId(sessionId)
                    .setSeq(seq).setStart(Instant.ofEpochMilli(start)).setEnd(Instant.ofEpochMilli(end))
                    .setBytes(Files.size(file)).setContainer(SegmentContainer.MPEGTS)
                    .setVideoCodec("h264").setAudioCodec("aac").setWidth(320).setHeight(240)
                    .setDiscontinuity(seq == 0).setWorkerId("test").build();
            kafka.send(prefix, Topics.RECORDING_SEGMENTS, key, segment);
            segments.add(segment);
            seq++;
        }
        return new RecordedSession(List.copyOf(segments));
    }

    long startMs() {
        return segments.get(0).getStart().toEpochMilli();
    }

    long endMs() {
        return segments.get(segments.size() - 1).getEnd().toEpochMilli();
    }
}
