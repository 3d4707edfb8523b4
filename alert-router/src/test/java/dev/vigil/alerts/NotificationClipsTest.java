package dev.vigil.alerts;

import static dev.vigil.alerts.Fixtures.ACME;
import static dev.vigil.alerts.Fixtures.ALERT_1;
import static dev.vigil.alerts.Fixtures.STREAM;
import static dev.vigil.alerts.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.playback.ClipLinks;
import dev.vigil.common.playback.PlaybackLinks;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.secrets.SignedUrls;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.index.Detection;
import dev.vigil.schemas.index.SceneRecord;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications of recorded streams carry signed links to the clip around the alert, its player and the
 * snapshot of the key frame with its boxes; other streams' notifications carry none.
 */
class NotificationClipsTest {

    private static final SecretKeys KEYS = SecretKeys.of(List.of("k1=material-one-0123456789abcdefghijklmnop"));
    private static final String BASE = "https://vigil.example.com";

    @TempDir
    Path stateDir;
    private RouterDriver router;

    @BeforeEach
    void start() {
        ClipLinks clips = new ClipLinks(new PlaybackLinks(new SignedUrls(KEYS, Clock.fixed(RouterDriver.NOW, ZoneOffset.UTC))),
                BASE, Duration.ofDays(7), Duration.ofSeconds(5));
        router = new RouterDriver(stateDir, false, clips);
    }

    @AfterEach
    void stop() {
        router.close();
    }

    private static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private void record(boolean store) {
        router.withIntruderAlert();
        RtStreamSpec spec = RtStreamSpec.newBuilder(Fixtures.stream(STREAM, ACME, "Warehouse cam")).setStore(store).build();
        router.rtstreams.pipeInput(STREAM, spec, T0.minusSeconds(30));
    }

    @Test
    void aRecordedStreamsNotificationLinksThePaddedWindowAndTheKeyFrameWithItsBoxes() throws Exception {
        record(true);
        SceneRecord scene = SceneRecord.newBuilder(Fixtures.scene(T0, 1)).setKeyFrameTs(T0.plusMillis(1500))
                .setDetections(List.of(Detection.newBuilder().setLabel("person").setX(0.1f).setY(0.2f).setW(0.3f)
                        .setH(0.6f).setScore(1.2f).build())).build();
        router.scene(scene);

        AlertNotification n = router.fired.readKeyValuesToMap().get(ALERT_1);
        SignedUrls verifier = new SignedUrls(KEYS, Clock.fixed(RouterDriver.NOW.plus(Duration.ofDays(6)), ZoneOffset.UTC));
        Map<String, String> stream = query(n.getStreamUrl());
        assertThat(n.getStreamUrl()).startsWith(BASE + "/play/" + STREAM + "/stream.m3u8?");
        assertThat(stream).containsEntry("start", Long.toString(T0.minusSeconds(5).toEpochMilli()))
                .containsEntry("end", Long.toString(T0.plusSeconds(2 + 5).toEpochMilli()));
        verifier.verify(PlaybackLinks.playlistPath(STREAM), stream);

        Map<String, String> player = query(n.getPlayerUrl());
        assertThat(player).containsEntry("title", "intruder on Warehouse cam")
                .containsEntry("description", "scene_index: 1 person(s) in view.");
        verifier.verify(PlaybackLinks.playerPath(STREAM), player);

        Map<String, String> snapshot = query(n.getSnapshotUrl());
        assertThat(snapshot).containsEntry("at", Long.toString(T0.plusMillis(1500).toEpochMilli()))
                .containsEntry("boxes", "person:0.100,0.200,0.300,0.600");
        verifier.verify(PlaybackLinks.snapshotPath(STREAM), snapshot);
        // Expiry is the firing time plus the TTL: a reprocessed record gets the very same links.
        assertThat(Long.parseLong(stream.get("exp"))).isEqualTo(RouterDriver.NOW.plus(Duration.ofDays(7)).getEpochSecond() + 1);
    }

    @Test
    void aStreamThatIsNotRecordedGetsNoLinks() {
        record(false);
        router.scene(Fixtures.scene(T0, 1));

        AlertNotification n = router.fired.readKeyValuesToMap().get(ALERT_1);
        assertThat(n.getStreamUrl()).isNull();
        assertThat(n.getPlayerUrl()).isNull();
        assertThat(n.getSnapshotUrl()).isNull();
    }
}
