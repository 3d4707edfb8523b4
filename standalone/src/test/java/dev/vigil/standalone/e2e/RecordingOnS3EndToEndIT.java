package dev.vigil.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.storage.SegmentStore;
import dev.vigil.standalone.StandaloneConfig;
import dev.vigil.standalone.demo.DemoRun;
import dev.vigil.standalone.demo.DemoSetup;
import dev.vigil.storage.SegmentStores;
import dev.vigil.storage.StorageBackend;
import dev.vigil.storage.StorageConfig;
import dev.vigil.storage.testing.S3TestServer;
import dev.vigil.testkit.media.MediaProbe;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording and playback end to end on S3-compatible storage: the demo (every service in this JVM, the
 * looping clip, {@code store=true}) with {@code VIGIL_STORAGE_BACKEND=s3} pointed at a real S3 server in the
 * test JVM (S3Proxy). The ingest worker's recorder ships segments to the bucket; {@code GET /rtstream/{id}/stream}
 * gives a playlist whose untrimmed segments are presigned S3 URLs (the bucket refuses them unsigned) that
 * {@code ffprobe} plays within a second of the range; the export is remuxed from the S3 segments into an MP4
 * stored in the bucket, which plays; and when the S3 server goes away the recording turns {@code degraded}
 * in the stream's status while scene records keep coming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordingOnS3EndToEndIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String BUCKET = "vigil-e2e";

    @TempDir
    static Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private S3TestServer s3;
    private DemoRun demo;
    private DemoSetup.Demo setUp;
    private StorageConfig storage;

    @BeforeAll
    void startTheDemoOnS3() throws Exception {
        s3 = S3TestServer.start();
        s3.createBucket(BUCKET);
        Map<String, String> env = new HashMap<>(DemoRun.DEMO_DEFAULTS);
        env.putAll(s3.env(BUCKET));
        env.putAll(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()),
                "VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(freePort()),
                "VIGIL_HTTP_HOST", "127.0.0.1", "VIGIL_HTTP_PORT", Integer.toString(freePort()), "VIGIL_TOPIC_PARTITIONS", "2"));
        StandaloneConfig config = StandaloneConfig.from(env);
        assertThat(config.storage().backend()).isEqualTo(StorageBackend.S3);
        storage = config.storage();
        demo = DemoRun.start(config);
        setUp = demo.setUp(null);
    }

    @AfterAll
    void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void aRangeOfTheRecordingPlaysFromTheBucketWithinASecond() throws Exception {
        String rid = setUp.rtstreamId();
        // Everything recorded so far (the stream started moments ago): wait for 14 s of it.
        long now = System.currentTimeMillis() / 1000;
        JsonObject[] recorded = new JsonObject[1];
        Awaitility.await("14 s recorded in the bucket").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HttpResponse<String> r = call("GET", "/rtstream/" + rid + "/stream?start=" + (now - 600) + "&end=" + (now + 600), null);
            if (r.statusCode() != 200) {
                return false;
            }
            recorded[0] = new JsonObject(r.body()).getJsonObject("data");
            return recorded[0].getDouble("end") - recorded[0].getDouble("start") >= 14;
        });
        assertThat(call("GET", "/rtstream/" + rid, null).body()).contains("\"recording\":\"recording\"");

        double from = recorded[0].getDouble("start") + 2.3;
        double to = from + 8.4;
        JsonObject clip = data(call("GET", "/rtstream/" + rid + "/stream?start=" + seconds(from) + "&end=" + seconds(to), null));
        String streamUrl = clip.getString("stream_url");
        assertThat(streamUrl).startsWith(demo.standalone().httpUrl() + "/play/" + rid + "/stream.m3u8?").contains("sig=");
        assertThat(clip.getDouble("duration")).isCloseTo(to - from, Offset.offset(1.0));

        String playlist = get(streamUrl).body();
        List<String> uris = playlist.lines().filter(l -> !l.startsWith("#")).toList();
        List<String> fromBucket = uris.stream().filter(u -> u.startsWith(s3.endpoint() + "/" + BUCKET + "/")).toList();
        assertThat(fromBucket).as("whole segments are presigned S3 URLs:\n%s", playlist).isNotEmpty()
                .allSatisfy(u -> assertThat(u).contains("X-Amz-Signature=", "X-Amz-Expires="));
        // The bucket is not open: the same object without the signature is refused.
        assertThat(get(fromBucket.get(0).replaceFirst("\\?.*", "")).statusCode()).isEqualTo(403);

        MediaProbe.Probe probe = MediaProbe.probe(streamUrl);
        assertThat(probe.duration()).isCloseTo(to - from, Offset.offset(1.0));
        assertThat(probe.videoSeconds()).as("decoded video span").isCloseTo(to - from, Offset.offset(1.0));
        assertThat(probe.codecs()).contains("h264", "aac");
    }

    @Test
    @Order(2)
    void theExportIsRemuxedFromTheBucketIntoAnMp4ThatPlays() throws Exception {
        String rid = setUp.rtstreamId();
        assertThat(call("PATCH", "/rtstream/" + rid + "/status", "{\"action\":\"stop\"}").statusCode()).isEqualTo(200);
        // The recorder closes its last segment when the stream stops; export takes the latest session then.
        JsonObject[] exported = new JsonObject[1];
        Awaitility.await("the export").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HttpResponse<String> r = call("POST", "/rtstream/" + rid + "/export", "{}");
            exported[0] = r.statusCode() == 200 ? data(r) : null;
            return exported[0] != null;
        });
        String videoId = exported[0].getString("video_id");
        try (SegmentStore bucket = SegmentStores.open(storage)) {
            assertThat(bucket.size("default/" + rid + "/exports/" + videoId + ".mp4")).isEqualTo(exported[0].getLong("bytes"));
        }
        MediaProbe.Probe probe = MediaProbe.probe(exported[0].getString("stream_url"));
        assertThat(probe.formatName()).contains("mp4");
        assertThat(probe.duration()).isCloseTo(exported[0].getDouble("duration"), Offset.offset(0.5));
        assertThat(probe.codecs()).contains("h264", "aac");
        // The same asset again: found in the bucket, not remuxed.
        assertThat(data(call("POST", "/rtstream/" + rid + "/export", "{}")).getString("video_id")).isEqualTo(videoId);
    }

    @Test
    @Order(3)
    void anUnreachableBucketDegradesTheRecordingWhileSceneRecordsKeepComing() throws Exception {
        String rid = setUp.rtstreamId();
        s3.close();
        s3 = null;
        assertThat(call("PATCH", "/rtstream/" + rid + "/status", "{\"action\":\"start\"}").statusCode()).isEqualTo(200);
        Awaitility.await("recording degraded").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                "degraded".equals(data(call("GET", "/rtstream/" + rid, null)).getJsonObject("ingest").getString("recording")));
        JsonObject ingest = data(call("GET", "/rtstream/" + rid, null)).getJsonObject("ingest");
        assertThat(ingest.getString("state")).isEqualTo("connected");
        assertThat(ingest.getString("recording_reason")).contains("segment store unavailable");
        String scenes = "/rtstream/" + rid + "/index/scene/" + setUp.sceneIndexId() + "?page_size=1";
        long before = data(call("GET", scenes, null)).getLong("total_count");
        Awaitility.await("scene records after the store failed").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> data(call("GET", scenes, null)).getLong("total_count") >= before + 3);
        assertThat(data(call("GET", "/rtstream/" + rid, null)).getJsonObject("ingest").getString("recording")).isEqualTo("degraded");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(demo.standalone().httpUrl() + path))
                .header("x-access-token", demo.apiKey()).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject data(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonObject("data");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
