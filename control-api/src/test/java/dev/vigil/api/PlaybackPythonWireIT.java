package dev.vigil.api;

import static dev.vigil.api.SdkClients.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.testkit.media.MediaProbe;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Wire replay of VideoDB's Python SDK ({@code videodb} on PyPI, which cannot be installed here) for recording
 * and playback, byte for byte as its {@code requests} session sends them ({@code videodb/rtstream.py},
 * {@code videodb/collection.py}, {@code docs/videodb-wire.md} §3, §4.4, §4.5, §7.1):
 * <ul>
 *   <li>{@code coll.connect_rtstream(url, name, media_types=["video","audio"], store=True)} → POST
 *       {@code /rtstream}; the SDK splats {@code data} into {@code RTStream}, so {@code id} is mandatory;</li>
 *   <li>{@code rts.generate_stream(start, end)} (0.4.x: float seconds, reads {@code stream_url}) and the later
 *       {@code generate_stream(start, end, player_config={...})} (adds {@code player_title},
 *       {@code player_description}, {@code player_slug_prefix}; returns {@code player_url});</li>
 *   <li>{@code rts.search(query)} then a shot's {@code generate_stream()}: {@code int(start)}, {@code int(end)},
 *       reading {@code stream_url} and {@code player_url};</li>
 *   <li>{@code rts.stop(); rts.export()} → POST {@code /rtstream/{id}/export} with {@code {}}, reading
 *       {@code video_id}, {@code stream_url}, {@code player_url}, {@code name}, {@code duration}.</li>
 * </ul>
 * The URLs the SDK would hand to a user play in {@code ffprobe} with no API key, within a second of the range.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PlaybackPythonWireIT {

    private static final long T0 = (System.currentTimeMillis() / 1000 - 5400) * 1000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> open(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Python's str() of a float: what requests puts in the query string for generate_stream(1795..., ...). */
    private static String pyFloat(double seconds) {
        return Double.toString(seconds);
    }

    @Test
    void thePythonSdkRecordsPlaysASearchShotAndExports(TestKafka kafka) throws Exception {
        LocalSegmentStore store = new LocalSegmentStore(Files.createTempDirectory("vigil-recordings"));
        try (ControlApiHarness api = ControlApiHarness.start(kafka, Map.of(), store)) {
            SdkClients sdk = new SdkClients(api.port());
            // conn.get_collection()
            String cid = ok(sdk.python("GET", "collection/default", null)).getString("id");

            // coll.connect_rtstream(url="rtsp://cam.example.com/gate", name="Gate", media_types=["video", "audio"], store=True)
            JsonObject rts = ok(sdk.python("POST", "rtstream", "{\"collection_id\": \"" + cid + "\", \"url\": "
                    + "\"rtsp://cam.example.com/gate\", \"name\": \"Gate\", \"media_types\": [\"video\", \"audio\"], \"store\": true}"));
            String rid = rts.getString("id");
            assertThat(rid).startsWith("rts-");
            assertThat(rts.getBoolean("store")).isTrue();
            assertThat(rts.getString("status")).isEqualTo("connected");

            // What the ingest worker would record: 12 s in 4 s segments with a key frame every 0.2 s.
            RecordedSession.record(kafka, api.prefix, store, cid, rid, "py1", T0, 12, 4, 5);
            kafka.send(api.prefix, Topics.INDEX_TRANSCRIPT, rid, TranscriptRecord.newBuilder().setRtstreamId(rid)
                    .setCollectionId(cid).setIndexId("0123456789abcdef").setStart(Instant.ofEpochMilli(T0 + 3_000))
                    .setEnd(Instant.ofEpochMilli(T0 + 7_600)).setText("a red car stops at the gate").setIsFinal(true)
                    .setEngine("test").setCaptureTs(Instant.ofEpochMilli(T0 + 7_600)).setEmitTs(Instant.ofEpochMilli(T0 + 7_700))
                    .build());
            api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);

            // rts.generate_stream(start, end), 0.4.x: float Unix seconds, reads data["stream_url"].
            double start = (T0 + 1_250) / 1000.0;
            double end = (T0 + 9_750) / 1000.0;
            JsonObject stream = ok(sdk.python("GET", "rtstream/" + rid + "/stream?start=" + pyFloat(start) + "&end="
                    + pyFloat(end), null));
            MediaProbe.Probe clip = MediaProbe.probe(stream.getString("stream_url"));
            assertThat(clip.duration()).isCloseTo(end - start, Offset.offset(1.0));
            assertThat(clip.videoSeconds()).as("decoded video").isCloseTo(end - start, Offset.offset(1.0));
            assertThat(clip.codecs()).contains("h264", "aac");

            // Later SDK: generate_stream(start, end, player_config={"title": "Gate at night", "description": "Car at
            // the gate", "slug": "gate"}): requests encodes spaces as '+'; returns data["player_url"].
            JsonObject withPlayer = ok(sdk.python("GET", "rtstream/" + rid + "/stream?start=" + pyFloat(start) + "&end="
                    + pyFloat(end) + "&player_title=Gate+at+night&player_description=Car+at+the+gate&player_slug_prefix=gate", null));
            HttpResponse<String> page = open(withPlayer.getString("player_url"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>Gate at night</h1>").contains("Car at the gate");

            // results = rts.search("red car at the gate"); shot = results.get_shots()[0]
            JsonObject[] shot = new JsonObject[1];
            Eventually.await().until(() -> {
                var results = ok(sdk.python("POST", "rtstream/" + rid + "/search", "{\"query\": \"red car at the gate\"}"))
                        .getJsonArray("results");
                shot[0] = results.isEmpty() ? null : results.getJsonObject(0);
                return shot[0] != null;
            });
            assertThat(shot[0].getString("text")).isEqualTo("a red car stops at the gate");
            // shot.generate_stream(): params={"start": int(self.start), "end": int(self.end)}
            long shotStart = (long) Math.floor(shot[0].getDouble("start"));
            long shotEnd = (long) Math.floor(shot[0].getDouble("end"));
            JsonObject shotStream = ok(sdk.python("GET", "rtstream/" + rid + "/stream?start=" + shotStart + "&end=" + shotEnd, null));
            assertThat(shotStream.getString("player_url")).isNotBlank();
            MediaProbe.Probe shotClip = MediaProbe.probe(shotStream.getString("stream_url"));
            assertThat(shotClip.videoSeconds()).isCloseTo(shotEnd - shotStart, Offset.offset(1.0));
            assertThat(shotClip.duration()).isCloseTo(shotEnd - shotStart, Offset.offset(1.0));

            // rts.stop(); rts.export(): data = {} (name only when given)
            ok(sdk.python("PATCH", "rtstream/" + rid + "/status", "{\"action\": \"stop\"}"));
            JsonObject export = ok(sdk.python("POST", "rtstream/" + rid + "/export", "{}"));
            assertThat(export.getString("video_id")).startsWith("m-");
            assertThat(export.getString("name")).isEqualTo("Gate - Recording");
            assertThat(export.getDouble("duration")).isCloseTo(12.0, Offset.offset(0.5));
            assertThat(open(export.getString("player_url")).statusCode()).isEqualTo(200);
            MediaProbe.Probe mp4 = MediaProbe.probe(export.getString("stream_url"));
            assertThat(mp4.formatName()).contains("mp4");
            assertThat(mp4.duration()).isCloseTo(export.getDouble("duration"), Offset.offset(0.5));
            assertThat(mp4.videoSeconds()).isCloseTo(12.0, Offset.offset(0.5));
            // rts.export(name="Gate export") again: idempotent, the same asset.
            assertThat(ok(sdk.python("POST", "rtstream/" + rid + "/export", "{\"name\": \"Gate export\"}"))
                    .getString("video_id")).isEqualTo(export.getString("video_id"));
        }
    }
}
