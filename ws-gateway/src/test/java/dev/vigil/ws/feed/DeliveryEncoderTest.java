package dev.vigil.ws.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.ids.Ids;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.ws.Records;
import dev.vigil.ws.control.ControlRoutes;
import dev.vigil.ws.control.IndexRoute;
import dev.vigil.ws.control.StreamRoute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryEncoderTest {

    private static final String STREAM = Ids.rtstreamId();
    private static final String OTHER_STREAM = Ids.rtstreamId();
    private static final String INDEX = Ids.shortId();
    private static final String FOREIGN_INDEX = Ids.shortId();
    private static final String CONN_A = Ids.connectionId();
    private static final String CONN_B = Ids.connectionId();
    private static final long START = Records.START.toEpochMilli();
    private static final long END = Records.END.toEpochMilli();

    private final Map<String, IndexRoute> indexes = new HashMap<>();
    private final Map<String, StreamRoute> streams = new HashMap<>();
    private final DeliveryEncoder encoder = new DeliveryEncoder(new ControlRoutes() {
        @Override
        public IndexRoute index(String id) {
            return indexes.get(id);
        }

        @Override
        public StreamRoute stream(String id) {
            return streams.get(id);
        }
    });

    DeliveryEncoderTest() {
        streams.put(STREAM, new StreamRoute(STREAM, "c1", "Front door", CONN_B));
        streams.put(OTHER_STREAM, new StreamRoute(OTHER_STREAM, "c2", "Someone else's", CONN_B));
        indexes.put(INDEX, new IndexRoute(INDEX, STREAM, "c1", CONN_A));
        indexes.put(FOREIGN_INDEX, new IndexRoute(FOREIGN_INDEX, OTHER_STREAM, "c2", CONN_A));
    }

    @Test
    void aTranscriptGoesToItsIndexAndItsStreamConnection() {
        Delivery d = encoder.transcript(Records.transcript(STREAM, "c1", INDEX, "hello"));
        assertThat(d.channel()).isEqualTo(Channel.TRANSCRIPT);
        assertThat(d.targets()).containsExactly(CONN_A, CONN_B);
        assertThat(d.labels()).isEmpty();
        assertThat(new JsonObject(d.json())).isEqualTo(new JsonObject()
                .put("channel", "transcript")
                .put("rtstream_id", STREAM)
                .put("rtstream_name", "Front door")
                .put("index_id", INDEX)
                .put("data", new JsonObject().put("text", "hello").put("is_final", true).put("start", START).put("end", END)));
    }

    @Test
    void aSceneGoesToItsIndexConnectionOnlyWithLowerCasedLabelsForFilters() {
        Delivery d = encoder.scene(Records.scene(STREAM, "c1", INDEX, "a Person", List.of("Person", "motion")));
        assertThat(d.targets()).containsExactly(CONN_A);
        assertThat(d.labels()).containsExactly("person", "motion");
        assertThat(new JsonObject(d.json()).getJsonObject("data")).isEqualTo(new JsonObject()
                .put("text", "a Person").put("start", START).put("end", END)
                .put("labels", new JsonArray().add("Person").add("motion")));
        assertThat(d.sourceEpochMillis()).isPositive();
    }

    @Test
    void anAudioRecordCarriesItsLabels() {
        Delivery d = encoder.audio(Records.audio(STREAM, "c1", INDEX, "siren", List.of("alarm")));
        assertThat(d.channel()).isEqualTo(Channel.AUDIO_INDEX);
        assertThat(new JsonObject(d.json()).getString("channel")).isEqualTo("audio_index");
        assertThat(new JsonObject(d.json()).getJsonObject("data").getJsonArray("labels")).containsExactly("alarm");
    }

    @Test
    void controlEntriesOfAnotherTenantNeitherAddressNorNameARecord() {
        // A record of c1 that names c2's index and stream: neither may route it or lend it a name.
        Delivery d = encoder.transcript(Records.transcript(OTHER_STREAM, "c1", FOREIGN_INDEX, "hello"));
        assertThat(d.targets()).isEmpty();
        assertThat(d.collectionId()).isEqualTo("c1");
        assertThat(new JsonObject(d.json()).getString("rtstream_name")).isEmpty();
    }

    @Test
    void unknownIndexesAndStreamsAddressNobody() {
        String stream = Ids.rtstreamId();
        Delivery d = encoder.scene(Records.scene(stream, "c1", Ids.shortId(), "x", List.of()));
        assertThat(d.targets()).isEmpty();
        assertThat(new JsonObject(d.json()).getString("rtstream_name")).isEmpty();
    }

    @Test
    void anAlertHasEveryDocumentedFieldAndTriggeredTrue() {
        AlertNotification n = Records.alert(STREAM, "c1", INDEX, "Intrusion", CONN_B);
        Delivery d = encoder.alert(n);
        assertThat(d.channel()).isEqualTo(Channel.ALERT);
        assertThat(d.targets()).containsExactly(CONN_B);
        assertThat(d.labels()).containsExactly("intrusion");
        assertThat(d.sourceEpochMillis()).isEqualTo(n.getTimestamp().toEpochMilli());
        JsonObject frame = new JsonObject(d.json());
        assertThat(frame.getString("rtstream_name")).isEqualTo("Gate camera");
        assertThat(frame.getJsonObject("data").fieldNames()).containsExactlyInAnyOrder("id", "event_id", "alert_id",
                "label", "triggered", "text", "confidence", "explanation", "start", "end", "timestamp");
        assertThat(frame.getJsonObject("data").getBoolean("triggered")).isTrue();
        assertThat(frame.getJsonObject("data").getLong("timestamp")).isEqualTo(n.getTimestamp().toEpochMilli());
    }

    @Test
    void aRecordedStreamsAlertCarriesItsClipLinks() {
        AlertNotification n = AlertNotification.newBuilder(Records.alert(STREAM, "c1", INDEX, "Intrusion", CONN_B))
                .setStreamUrl("https://v.example/play/s/stream.m3u8?sig=a").setPlayerUrl("https://v.example/play/s/player?sig=b")
                .setSnapshotUrl("https://v.example/play/s/snapshot.jpg?sig=c").build();
        JsonObject data = new JsonObject(encoder.alert(n).json()).getJsonObject("data");
        assertThat(data.getString("stream_url")).isEqualTo(n.getStreamUrl());
        assertThat(data.getString("player_url")).isEqualTo(n.getPlayerUrl());
        assertThat(data.getString("snapshot_url")).isEqualTo(n.getSnapshotUrl());
    }

    @Test
    void anAlertWithoutConnectionOrNameFallsBackToTheDirectoryName() {
        AlertNotification n = Records.alert(STREAM, "", "c1", INDEX, "x", null);
        Delivery d = encoder.alert(n);
        assertThat(d.targets()).isEmpty();
        assertThat(new JsonObject(d.json()).getString("rtstream_name")).isEqualTo("Front door");
    }
}
