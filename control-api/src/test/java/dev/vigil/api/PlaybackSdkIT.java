package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * VideoDB's own Node SDK (npm {@code videodb} 0.2.0, which has {@code RTStream.generateStream},
 * {@code RTStreamShot.generateStream} and {@code RTStream.export}) drives the playback API of a real control
 * API; the URLs it gets back play in {@code ffprobe} within a second of the asked range, and the export is an
 * MP4 that plays, the same asset on the second call.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PlaybackSdkIT {

    private static final long T0 = (System.currentTimeMillis() / 1000 - 7200) * 1000;

    private static JsonObject ffprobe(String url) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration,format_name:stream=codec_name",
                "-of", "json", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new JsonObject(out);
    }

    private static double duration(JsonObject probe) {
        return Double.parseDouble(probe.getJsonObject("format").getString("duration"));
    }

    @Test
    void theNodeSdkGeneratesStreamsAndExportsThatPlay(TestKafka kafka) throws Exception {
        Path sdk = Path.of("..", ".tools", "node-sdk").toAbsolutePath().normalize();
        assertThat(sdk.resolve("node_modules/videodb")).as("VideoDB's Node SDK (scripts/install-node-sdk.sh installs it)")
                .isDirectory();
        LocalSegmentStore store = new LocalSegmentStore(Files.createTempDirectory("vigil-recordings"));
        try (ControlApiHarness api = ControlApiHarness.start(kafka, Map.of("VIGIL_API_ALLOW_FILE_URLS", "true"), store)) {
            Reply created = api.alpha("POST", "/rtstream", new JsonObject().put("url", "/tmp/gate.mp4").put("name", "Gate")
                    .put("store", true));
            String rid = created.data().getString("id");
            Reply other = api.alpha("POST", "/rtstream", new JsonObject().put("url", "/tmp/door.mp4").put("name", "Door")
                    .put("store", true));
            String exportId = other.data().getString("id");
            RecordedSession.record(kafka, api.prefix, store, "alpha", rid, "n1", T0, 12);
            RecordedSession exported = RecordedSession.record(kafka, api.prefix, store, "alpha", exportId, "n2", T0, 4);
            api.alpha("PATCH", "/rtstream/" + exportId + "/status", new JsonObject().put("action", "stop"));
            kafka.send(api.prefix, Topics.INDEX_TRANSCRIPT, rid, TranscriptRecord.newBuilder().setRtstreamId(rid)
                    .setCollectionId("alpha").setIndexId("0123456789abcdef").setStart(Instant.ofEpochMilli(T0 + 3000))
                    .setEnd(Instant.ofEpochMilli(T0 + 7000)).setText("a red car stops at the gate").setIsFinal(true)
                    .setEngine("test").setCaptureTs(Instant.ofEpochMilli(T0 + 7000)).setEmitTs(Instant.ofEpochMilli(T0 + 7100))
                    .build());
            api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
            Eventually.await().until(() -> api.alpha("POST", "/rtstream/" + rid + "/search",
                    new JsonObject().put("query", "red car at the gate")).data().getJsonArray("results").size() > 0);

            Path script = sdk.resolve("videodb-playback-check.mjs");
            Files.copy(Path.of("src/test/node/videodb-playback-check.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
            Process node = new ProcessBuilder("node", script.toString(), ControlApiHarness.ALPHA_KEY,
                    "http://127.0.0.1:" + api.port(), rid, Long.toString(T0 / 1000 + 2), Long.toString(T0 / 1000 + 9),
                    "red car at the gate", exportId).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).as("node output:\n%s", output).isZero();
            JsonObject read = new JsonObject(output.lines().reduce((a, b) -> b).orElse("{}"));

            assertThat(duration(ffprobe(read.getString("streamUrl")))).isCloseTo(7.0, Offset.offset(1.0));
            JsonObject shot = read.getJsonObject("shot");
            assertThat(shot.getString("playerUrl")).contains("/play/" + rid + "/player?");
            // The shot covers T0+3 s .. T0+7 s; the SDK asks for whole seconds.
            assertThat(duration(ffprobe(shot.getString("streamUrl")))).isCloseTo(4.0, Offset.offset(1.0));

            JsonObject export = read.getJsonObject("export");
            assertThat(export.getString("videoId")).startsWith("m-");
            assertThat(export.getString("name")).isEqualTo("Door - Recording");
            assertThat(read.getJsonObject("exportAgain").getString("videoId")).isEqualTo(export.getString("videoId"));
            double expected = (exported.endMs() - exported.startMs()) / 1000.0;
            assertThat(export.getDouble("duration")).isCloseTo(expected, Offset.offset(0.5));
            JsonObject mp4 = ffprobe(export.getString("streamUrl"));
            assertThat(mp4.getJsonObject("format").getString("format_name")).contains("mp4");
            assertThat(duration(mp4)).isCloseTo(expected, Offset.offset(0.5));
        }
    }
}
