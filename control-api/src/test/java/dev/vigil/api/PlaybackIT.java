package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.SignedUrls;
import dev.vigil.common.playback.PlaybackLinks;
import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.schemas.Topics;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import dev.vigil.testkit.TestSecrets;
import dev.vigil.testkit.browser.HeadlessChromium;
import dev.vigil.testkit.media.MediaProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The playback API over real HTTP with real media: MPEG-TS segments made by FFmpeg sit in a local segment
 * store, their index records go through the real broker, and what the API hands out is played by
 * {@code ffprobe} (HLS and MP4 over HTTP, no API key: the signed URLs alone) and by headless Chromium.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaybackIT {

    /** Recording times: an hour ago, whole seconds. */
    private static final long T0 = (System.currentTimeMillis() / 1000 - 3600) * 1000;

    private TestKafka kafka;
    private ControlApiHarness api;
    private Path storeDir;
    private LocalSegmentStore store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String rid;
    private String plainRid;
    private RecordedSession first;
    private RecordedSession second;

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        this.kafka = kafka;
        storeDir = Files.createTempDirectory("vigil-recordings");
        store = new LocalSegmentStore(storeDir);
        api = ControlApiHarness.start(kafka, Map.of("VIGIL_API_ALLOW_FILE_URLS", "true",
                "VIGIL_PLAYBACK_MAX_RANGE", "1h"), store);
        rid = createStream(true);
        plainRid = createStream(false);
        // Two sessions (the worker reconnected in between, 3 s of nothing): 12 s, then 6 s.
        first = RecordedSession.record(kafka, api.prefix, store, "alpha", rid, "s1", T0, 12);
        second = RecordedSession.record(kafka, api.prefix, store, "alpha", rid, "s2", first.endMs() + 3000, 6);
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    private String createStream(boolean record) throws Exception {
        Reply created = api.alpha("POST", "/rtstream", new JsonObject().put("url", "/tmp/clip.mp4")
                .put("name", record ? "Gate camera" : "Lobby").put("store", record));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.data().getString("id");
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private Reply stream(String id, String start, String end, String key) throws Exception {
        return api.call("GET", "/rtstream/" + id + "/stream?start=" + start + "&end=" + end, key, null);
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            request.header("x-access-token", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** ffprobe's JSON for {@code url}, with the video frames it actually decoded counted. */
    private static JsonObject ffprobe(String url) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "format=duration,format_name:stream=codec_type,codec_name,nb_read_frames", "-of", "json", url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new JsonObject(out);
    }

    private static void assertError(Reply reply, int status, String code, String messagePart) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
        assertThat(reply.json().getBoolean("success")).isFalse();
        assertThat(reply.json().getString("error_code")).isEqualTo(code);
        assertThat(reply.json().getString("message")).contains(messagePart);
    }

    @Test
    void streamUrlPlaysTheRangeWithinASecond() throws Exception {
        long from = T0 + 2_400;
        long to = T0 + 8_700;
        Reply reply = stream(rid, seconds(from), seconds(to), ControlApiHarness.ALPHA_KEY);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        String streamUrl = reply.data().getString("stream_url");
        assertThat(streamUrl).startsWith("http://127.0.0.1:" + api.port() + "/play/" + rid + "/stream.m3u8?")
                .contains("sig=");
        assertThat(reply.data().getString("player_url")).contains("/play/" + rid + "/player?");

        JsonObject probe = ffprobe(streamUrl);
        double range = (to - from) / 1000.0;
        assertThat(Double.parseDouble(probe.getJsonObject("format").getString("duration"))).isCloseTo(range, org.assertj.core.data.Offset.offset(1.0));
        JsonArray streams = probe.getJsonArray("streams");
        JsonObject video = streams.stream().map(JsonObject.class::cast).filter(s -> "video".equals(s.getString("codec_type")))
                .findFirst().orElseThrow();
        assertThat(video.getString("codec_name")).isEqualTo("h264");
        // The frames were really fetched through the signed segment URLs: 25 per second of the range.
        assertThat(Integer.parseInt(video.getString("nb_read_frames")) / 25.0).isCloseTo(range, org.assertj.core.data.Offset.offset(1.0));
        assertThat(streams.stream().map(JsonObject.class::cast).map(s -> s.getString("codec_name"))).contains("aac");
    }

    @Test
    void aClipIsCutToTheRangeFromTheNearestKeyFrame() throws Exception {
        // 4 s segments with a key frame every 5 frames (0.2 s): the range cuts into the first and last segment.
        String id = createStream(true);
        RecordedSession session = RecordedSession.record(kafka, api.prefix, store, "alpha", id, "k1", T0, 12, 4, 5);
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
        long from = T0 + 1_330;
        long to = T0 + 9_170;
        Reply reply = stream(id, seconds(from), seconds(to), ControlApiHarness.ALPHA_KEY);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.data().getDouble("start")).isEqualTo(from / 1000.0);
        assertThat(reply.data().getDouble("end")).isEqualTo(to / 1000.0);
        assertThat(reply.data().getInteger("segments")).isEqualTo(3);
        String m3u8 = get(reply.data().getString("stream_url"), null).body();
        List<Long> bounds = session.segments.stream().map(seg -> seg.getEnd().toEpochMilli()).toList();
        long secondStart = session.segments.get(1).getStart().toEpochMilli();
        long thirdStart = session.segments.get(2).getStart().toEpochMilli();
        assertThat(m3u8.lines().filter(l -> l.startsWith("#EXTINF:"))).containsExactly(
                String.format(Locale.ROOT, "#EXTINF:%.3f,", (bounds.get(0) - from) / 1000.0),
                String.format(Locale.ROOT, "#EXTINF:%.3f,", (bounds.get(1) - secondStart) / 1000.0),
                String.format(Locale.ROOT, "#EXTINF:%.3f,", (to - thirdStart) / 1000.0));
        assertThat(m3u8.lines().filter(l -> l.startsWith("http")).filter(l -> l.contains("from=")))
                .as("the first and last are cut by the API").hasSize(2);

        double range = (to - from) / 1000.0;
        MediaProbe.Probe probe = MediaProbe.probe(reply.data().getString("stream_url"));
        assertThat(probe.duration()).isCloseTo(range, Offset.offset(1.0));
        // What plays: from the key frame nearest the start (0.2 s apart) to the end, so within a key-frame interval.
        assertThat(probe.videoSeconds()).as("decoded video span").isCloseTo(range, Offset.offset(0.25));
        assertThat(probe.videoFrames() / 25.0).isCloseTo(range, Offset.offset(0.25));
        assertThat(probe.codecs()).contains("h264", "aac");

        // Whole segments (1 s, one key frame each) can only start at their key frame: still within a second.
        Reply coarse = stream(rid, seconds(T0 + 2_600), seconds(T0 + 6_450), ControlApiHarness.ALPHA_KEY);
        MediaProbe.Probe wide = MediaProbe.probe(coarse.data().getString("stream_url"));
        assertThat(wide.videoSeconds()).isCloseTo(3.85, Offset.offset(1.0));

        // A cut segment asked for directly: its bounds are checked.
        String cut = m3u8.lines().filter(l -> l.contains("from=")).findFirst().orElseThrow();
        String key = URI.create(cut).getQuery().replaceFirst(".*key=([^&]*).*", "$1");
        String direct = "/play/" + id + "/segment.ts?key=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
        assertError(api.alpha("GET", direct + "&from=3000&to=2000", null), 400, "invalid_request", "in order");
        assertError(api.alpha("GET", direct + "&from=-1", null), 400, "invalid_request", "'from'");
        assertThat(session.segments).hasSize(3);
    }

    @Test
    void aPlaylistAcrossSessionsMarksTheDiscontinuity() throws Exception {
        Reply reply = stream(rid, seconds(first.startMs()), seconds(second.endMs()), ControlApiHarness.ALPHA_KEY);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.data().getInteger("segments")).isEqualTo(first.segments.size() + second.segments.size());
        HttpResponse<String> playlist = get(reply.data().getString("stream_url"), null);
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        String m3u8 = playlist.body();
        assertThat(m3u8).startsWith("#EXTM3U\n").contains("#EXT-X-PLAYLIST-TYPE:VOD").endsWith("#EXT-X-ENDLIST\n");
        assertThat(m3u8.split("#EXT-X-DISCONTINUITY\n", -1)).hasSize(2);
        assertThat(m3u8.lines().filter(l -> l.startsWith("#EXTINF:"))).hasSize(first.segments.size() + second.segments.size());
        // The discontinuity sits right before the second session's first segment.
        String afterBreak = m3u8.substring(m3u8.indexOf("#EXT-X-DISCONTINUITY"));
        assertThat(afterBreak).contains("#EXT-X-PROGRAM-DATE-TIME:" + second.segments.get(0).getStart());
    }

    @Test
    void searchShotsAskWithWholeSecondsAndGetBothUrls() throws Exception {
        // RTStreamShot.generate_stream sends int(start), int(end).
        Reply reply = stream(rid, Long.toString(T0 / 1000 + 3), Long.toString(T0 / 1000 + 5), ControlApiHarness.ALPHA_KEY);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.data().getString("stream_url")).isNotBlank();
        assertThat(reply.data().getString("player_url")).isNotBlank();
        assertThat(reply.data().getInteger("segments")).isEqualTo(2);
    }

    @Test
    void badRequestsGetClearClientErrors() throws Exception {
        String s = seconds(T0 + 1000);
        String e = seconds(T0 + 5000);
        String key = ControlApiHarness.ALPHA_KEY;
        assertError(stream(rid, e, s, key), 400, "invalid_request", "'start' must be before 'end'");
        assertError(api.alpha("GET", "/rtstream/" + rid + "/stream", null), 400, "invalid_request", "required");
        assertError(stream(rid, "soon", e, key), 400, "invalid_request", "Unix timestamp in seconds");
        assertError(stream(rid, Long.toString(T0), Long.toString(T0 + 5000), key), 400, "invalid_request", "milliseconds");
        assertError(stream(rid, s, seconds(T0 + 2 * 3_600_000L), key), 400, "invalid_request", "VIGIL_PLAYBACK_MAX_RANGE");
        assertError(stream(rid, seconds(T0 - 600_000), seconds(T0 - 500_000), key), 404, "no_recording", "recording covers");
        assertError(stream(plainRid, s, e, key), 409, "not_recorded", "\"store\": true");
        assertError(stream("rts-00000000-0000-0000-0000-000000000000", s, e, key), 404, "not_found", "rtstream");
        assertError(stream(rid, s, e, ControlApiHarness.BETA_KEY), 404, "not_found", "rtstream");
        assertError(stream(rid, s, e, null), 401, "unauthorized", "API key");
    }

    @Test
    void mediaNeedsAGenuineUnexpiredSignatureOrTheKey() throws Exception {
        Reply reply = stream(rid, seconds(T0 + 1000), seconds(T0 + 4000), ControlApiHarness.ALPHA_KEY);
        String url = reply.data().getString("stream_url");
        String path = URI.create(url).getRawPath();
        String unsigned = "http://127.0.0.1:" + api.port() + path + "?start=" + (T0 + 1000) + "&end=" + (T0 + 4000);
        assertThat(get(url, null).statusCode()).isEqualTo(200);
        assertThat(get(unsigned, null).statusCode()).isEqualTo(401);
        assertThat(get(unsigned, ControlApiHarness.ALPHA_KEY).statusCode()).isEqualTo(200);
        assertThat(get(unsigned, ControlApiHarness.BETA_KEY).statusCode()).isEqualTo(404);

        HttpResponse<String> widened = get(url.replace("start=" + (T0 + 1000), "start=" + T0), null);
        assertThat(widened.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(widened.body()).getString("error_code")).isEqualTo("invalid_signature");
        String sig = url.substring(url.indexOf("sig=") + 4);
        HttpResponse<String> forged = get(url.replace("sig=" + sig, "sig=" + new StringBuilder(sig).reverse()), null);
        assertThat(forged.statusCode()).isEqualTo(403);

        // Signed with the server's own keys, but an hour ago with a minute to live.
        PlaybackLinks past = new PlaybackLinks(new SignedUrls(SecretKeys.of(List.of(TestSecrets.KEYS)),
                Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC)));
        String expired = past.playlist("http://127.0.0.1:" + api.port(), rid, T0 + 1000, T0 + 4000, Duration.ofMinutes(1));
        HttpResponse<String> refused = get(expired, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(refused.body()).getString("error_code")).isEqualTo("link_expired");

        // Segment links inside the playlist are signed for their own key only.
        String segmentUrl = get(url, null).body().lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow();
        assertThat(get(segmentUrl, null).statusCode()).isEqualTo(200);
        String otherKey = URI.create(segmentUrl).getRawQuery().replace("-s1-", "-s9-");
        assertThat(get(segmentUrl.substring(0, segmentUrl.indexOf('?') + 1) + otherKey, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aTombstoneRemovesTheSegmentFromPlayback() throws Exception {
        String id = createStream(true);
        RecordedSession session = RecordedSession.record(kafka, api.prefix, store, "alpha", id, "t1", T0, 4);
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
        assertThat(stream(id, seconds(T0), seconds(session.endMs()), ControlApiHarness.ALPHA_KEY).data().getInteger("segments"))
                .isEqualTo(4);
        kafka.send(api.prefix, Topics.RECORDING_SEGMENTS, session.segments.get(3).getKey(), null);
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
        assertThat(stream(id, seconds(T0), seconds(session.endMs()), ControlApiHarness.ALPHA_KEY).data().getInteger("segments"))
                .isEqualTo(3);
    }

    @Test
    void exportRemuxesTheLatestSessionIntoAnMp4OnceAndPlays() throws Exception {
        String id = createStream(true);
        RecordedSession older = RecordedSession.record(kafka, api.prefix, store, "alpha", id, "e1", T0, 3);
        RecordedSession latest = RecordedSession.record(kafka, api.prefix, store, "alpha", id, "e2", older.endMs() + 5000, 5);
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);

        assertError(api.alpha("POST", "/rtstream/" + id + "/export", new JsonObject()), 409, "conflict", "stop the stream first");
        assertThat(api.alpha("PATCH", "/rtstream/" + id + "/status", new JsonObject().put("action", "stop")).status()).isEqualTo(200);

        Reply exported = api.alpha("POST", "/rtstream/" + id + "/export", new JsonObject());
        assertThat(exported.status()).as(exported.raw()).isEqualTo(200);
        JsonObject data = exported.data();
        assertThat(data.getString("video_id")).startsWith("m-");
        assertThat(data.getString("name")).isEqualTo("Gate camera - Recording");
        assertThat(data.getString("session_id")).isEqualTo("e2");
        double expected = (latest.endMs() - latest.startMs()) / 1000.0;
        assertThat(data.getDouble("duration")).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.5));

        JsonObject probe = ffprobe(data.getString("stream_url"));
        assertThat(probe.getJsonObject("format").getString("format_name")).contains("mp4");
        assertThat(Double.parseDouble(probe.getJsonObject("format").getString("duration"))).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.5));
        assertThat(probe.getJsonArray("streams").stream().map(JsonObject.class::cast).map(s -> s.getString("codec_name")))
                .containsExactlyInAnyOrder("h264", "aac");
        assertThat(get(data.getString("player_url"), null).body()).contains("data-kind=\"mp4\"");

        // The MP4 answers byte ranges, as video elements and FFmpeg ask for them.
        String mp4 = data.getString("stream_url");
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(URI.create(mp4)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        int size = whole.body().length;
        assertThat((long) size).isEqualTo(data.getLong("bytes"));
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(mp4)).header("Range", "bytes=100-1123").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-1123/" + size);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 100, 1124));
        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(mp4)).header("Range", "bytes=-10").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), size - 10, size));
        HttpResponse<String> beyond = http.send(HttpRequest.newBuilder(URI.create(mp4)).header("Range", "bytes=" + size + "-")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
        assertThat(new JsonObject(beyond.body()).getString("error_code")).isEqualTo("range_not_satisfiable");

        // Idempotent: the same asset again, without remuxing; a name does not make another one.
        Reply again = api.alpha("POST", "/rtstream/" + id + "/export", new JsonObject().put("name", "other"));
        assertThat(again.data().getString("video_id")).isEqualTo(data.getString("video_id"));
        Reply fetched = api.alpha("GET", "/rtstream/" + id + "/export/" + data.getString("video_id"), null);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.data().getDouble("duration")).isEqualTo(data.getDouble("duration"));

        assertError(api.alpha("GET", "/rtstream/" + id + "/export/m-00000000-0000-0000-0000-000000000000", null),
                404, "not_found", "export");
        assertError(api.alpha("GET", "/rtstream/" + id + "/export/../../x", null), 404, "not_found", "");
        assertError(api.beta("POST", "/rtstream/" + id + "/export", new JsonObject()), 404, "not_found", "rtstream");
        assertError(api.alpha("POST", "/rtstream/" + plainRid + "/export", new JsonObject()), 409, "not_recorded", "store");
        assertError(api.alpha("POST", "/rtstream/" + id + "/export", new JsonObject().put("name", 42)), 400, "invalid_request", "name");
    }

    private static byte[] greyJpeg() throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(320, 240, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void aSnapshotIsTheNearestFrameWithItsBoxesDrawn() throws Exception {
        long now = System.currentTimeMillis();
        byte[] jpeg = greyJpeg();
        for (int i = 0; i < 5; i++) {
            kafka.send(api.prefix, Topics.MEDIA_FRAMES, rid, dev.vigil.schemas.media.MediaFrame.newBuilder()
                    .setRtstreamId(rid).setCollectionId("alpha").setSeq(i).setCaptureTs(Instant.ofEpochMilli(now + i * 500L))
                    .setWidth(320).setHeight(240).setData(java.nio.ByteBuffer.wrap(jpeg)).build());
        }
        PlaybackLinks links = new PlaybackLinks(new SignedUrls(SecretKeys.of(List.of(TestSecrets.KEYS)), Clock.systemUTC()));
        String base = "http://127.0.0.1:" + api.port();
        String url = links.snapshot(base, rid, now + 1000, "person:0.250,0.250,0.500,0.500", Duration.ofMinutes(5));

        HttpResponse<byte[]> snapshot = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(snapshot.body()));
        assertThat(image.getWidth()).isEqualTo(320);
        java.awt.Color edge = new java.awt.Color(image.getRGB(160, 60)); // the box's top edge, drawn in red
        java.awt.Color inside = new java.awt.Color(image.getRGB(160, 120));
        assertThat(edge.getRed() - edge.getGreen()).as("box edge %s", edge).isGreaterThan(80);
        assertThat(Math.abs(inside.getRed() - inside.getGreen())).as("inside the box %s", inside).isLessThan(20);

        String noFrame = links.snapshot(base, rid, now - 3_600_000, "", Duration.ofMinutes(5));
        HttpResponse<String> missing = get(noFrame, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(missing.body()).getString("error_code")).isEqualTo("no_frame");
        String path = base + "/play/" + rid + "/snapshot.jpg";
        assertError(api.alpha("GET", "/play/" + rid + "/snapshot.jpg?at=" + (now + 1000) + "&boxes=person:2,0,1,1", null),
                400, "invalid_request", "between 0 and 1");
        assertError(api.alpha("GET", "/play/" + rid + "/snapshot.jpg", null), 400, "invalid_request", "'at'");
        assertThat(get(path + "?at=" + (now + 1000), null).statusCode()).isEqualTo(401);
        String moved = url.replace("at=" + (now + 1000), "at=" + (now + 1500));
        assertThat(moved).isNotEqualTo(url);
        assertThat(get(moved, null).statusCode()).isEqualTo(403);
    }

    @Test
    void theDashboardPlaysTheLastSecondsOfARecordedStream() throws Exception {
        String id = createStream(true);
        RecordedSession.record(kafka, api.prefix, store, "alpha", id, "d1", System.currentTimeMillis() - 20_000, 12);
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
        try (HeadlessChromium browser = HeadlessChromium.launch()) {
            browser.navigate("http://127.0.0.1:" + api.port() + "/#key=" + ControlApiHarness.ALPHA_KEY);
            String button = "document.querySelector('.stream[data-id=\"" + id + "\"] button.recent')";
            Eventually.within(Duration.ofSeconds(60)).until(() -> Boolean.TRUE.equals(
                    browser.evaluate(button + " !== null && !" + button + ".hidden")));
            browser.evaluate(button + ".click()");
            Eventually.within(Duration.ofSeconds(60)).until(() -> {
                Object time = browser.evaluate("document.getElementById('clip').currentTime");
                return time instanceof Number n && n.doubleValue() > 1.0;
            });
            assertThat(browser.evaluate("document.getElementById('clip-status').textContent")).isEqualTo("");
        }
    }

    @Test
    void theDashboardsLiveViewFollowsTheRecordingAsItGrows() throws Exception {
        String id = createStream(true);
        assertError(api.alpha("GET", "/rtstream/" + id + "/live", null), 404, "no_recording", "nothing of it is recorded");
        assertError(api.alpha("GET", "/rtstream/" + plainRid + "/live", null), 409, "not_recorded", "store");
        // A recorder at work: 4 one-second segments now, then one more every second.
        RecordedSession.Live recorder = RecordedSession.live(kafka, api.prefix, store, "alpha", id, "v1",
                System.currentTimeMillis() - 4_000, 40);
        for (int i = 0; i < 4; i++) {
            recorder.publishNext();
        }
        api.service.segments().readToEnd().get(30, TimeUnit.SECONDS);
        Reply live = api.alpha("GET", "/rtstream/" + id + "/live", null);
        assertThat(live.status()).as(live.raw()).isEqualTo(200);
        String m3u8 = get(live.data().getString("stream_url"), null).body();
        assertThat(m3u8).contains("#EXT-X-MEDIA-SEQUENCE:0\n", "#EXT-X-TARGETDURATION:1\n").doesNotContain("#EXT-X-ENDLIST");
        assertThat(m3u8.lines().filter(l -> l.startsWith("#EXTINF:"))).hasSize(4);

        java.util.concurrent.ScheduledExecutorService clock = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "test-live-recorder"));
        clock.scheduleAtFixedRate(() -> {
            try {
                recorder.publishNext();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        try (HeadlessChromium browser = HeadlessChromium.launch()) {
            browser.navigate("http://127.0.0.1:" + api.port() + "/#key=" + ControlApiHarness.ALPHA_KEY);
            String button = "document.querySelector('.stream[data-id=\"" + id + "\"] button.live')";
            Eventually.within(Duration.ofSeconds(60)).until(() -> Boolean.TRUE.equals(
                    browser.evaluate(button + " !== null && !" + button + ".hidden")));
            browser.evaluate(button + ".click()");
            // Past the 4 s there were when it started: the player kept loading the segments recorded since.
            Eventually.within(Duration.ofSeconds(90)).until(() -> {
                Object time = browser.evaluate("document.getElementById('clip').currentTime");
                return time instanceof Number n && n.doubleValue() > 10.0;
            });
            assertThat(browser.evaluate("document.getElementById('clip-status').textContent")).isEqualTo("");
        } finally {
            clock.shutdownNow();
        }
        // The window slides: the playlist now starts past the first segments, without an end while the stream runs.
        String later = get(live.data().getString("stream_url"), null).body();
        assertThat(later).doesNotContain("#EXT-X-MEDIA-SEQUENCE:0\n").doesNotContain("#EXT-X-ENDLIST");
        assertThat(later.lines().filter(l -> l.startsWith("#EXTINF:"))).hasSize(4);
        assertThat(api.alpha("PATCH", "/rtstream/" + id + "/status", new JsonObject().put("action", "stop")).status()).isEqualTo(200);
        Eventually.await().until(() -> get(live.data().getString("stream_url"), null).body().endsWith("#EXT-X-ENDLIST\n"));
    }

    @Test
    void thePlayerPagePlaysTheClipInHeadlessChromium() throws Exception {
        assertThat(HeadlessChromium.installed()).as("Chromium (scripts/install-test-deps.sh installs it)").isTrue();
        Reply reply = api.call("GET", "/rtstream/" + rid + "/stream?start=" + seconds(T0 + 1000) + "&end=" + seconds(T0 + 9000)
                + "&player_title=Gate%20%3Cb%3E&player_description=Someone%20at%20the%20gate", ControlApiHarness.ALPHA_KEY, null);
        String player = reply.data().getString("player_url");
        String page = get(player, null).body();
        assertThat(page).contains("<h1>Gate &lt;b&gt;</h1>").contains("Someone at the gate")
                .contains("/play/assets/hls.min.js");
        assertThat(get("http://127.0.0.1:" + api.port() + "/play/assets/hls.min.js", null).statusCode()).isEqualTo(200);
        try (HeadlessChromium browser = HeadlessChromium.launch()) {
            browser.navigate(player);
            Eventually.within(Duration.ofSeconds(60)).until(() -> {
                Object time = browser.evaluate("document.getElementById('player').currentTime");
                return time instanceof Number n && n.doubleValue() > 1.0;
            });
            assertThat(browser.evaluate("document.getElementById('status').textContent")).isEqualTo("");
        }
    }
}
