package dev.vigil.webhooks.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.webhooks.testing.Fixtures;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

    static {
        // Avro trusts the generated enums once the catalogue's serdes exist; copying a notification needs that.
        java.util.Objects.requireNonNull(dev.vigil.schemas.Topics.ALERTS_FIRED.valueSerde());
    }

    @Test
    void hasExactlyTheFieldsOfDesign43InOrder() {
        AlertNotification n = Fixtures.notification("0123456789abcdef", "https://example.com/hook", "r1");
        JsonObject json = new JsonObject(WebhookPayload.json(n));

        assertThat(List.copyOf(json.fieldNames())).containsExactly("id", "event_id", "alert_id", "event_label", "label",
                "rtstream_id", "rtstream_name", "index_id", "timestamp", "start_time", "end_time", "confidence",
                "explanation", "data");
        assertThat(json.getString("id")).isEqualTo(n.getId());
        assertThat(json.getString("event_id")).isEqualTo("event-3fd4174feceb6162");
        assertThat(json.getString("alert_id")).isEqualTo("0123456789abcdef");
        assertThat(json.getString("event_label")).isEqualTo("person_detected");
        assertThat(json.getString("label")).isEqualTo("person_detected");
        assertThat(json.getString("rtstream_id")).isEqualTo(n.getRtstreamId());
        assertThat(json.getString("rtstream_name")).isEqualTo("Front door");
        assertThat(json.getString("index_id")).isEqualTo("a1b2c3d4e5f60718");
        assertThat(json.getLong("timestamp")).isEqualTo(n.getTimestamp().toEpochMilli());
        assertThat(json.getDouble("start_time")).isEqualTo(1_700_000_000.5);
        assertThat(json.getDouble("end_time")).isEqualTo(1_700_000_002.0);
        assertThat(json.getDouble("confidence")).isEqualTo(0.87);
        assertThat(json.getString("explanation")).isEqualTo("labels.person >= 1");
        assertThat(json.getJsonObject("data").fieldNames()).containsExactly("text");
        assertThat(json.getJsonObject("data").getString("text")).isEqualTo("A person walks up to the \"front\" door");
    }

    @Test
    void aRecordedStreamsAlertCarriesItsClipAndSnapshotBeforeData() {
        AlertNotification n = AlertNotification.newBuilder(Fixtures.notification("0123456789abcdef", "https://example.com/hook", "r1"))
                .setStreamUrl("https://vigil.example.com/play/rts-1/stream.m3u8?start=1&end=2&exp=3&kid=k&sig=s")
                .setPlayerUrl("https://vigil.example.com/play/rts-1/player?start=1&end=2&exp=3&kid=k&sig=s")
                .setSnapshotUrl("https://vigil.example.com/play/rts-1/snapshot.jpg?at=1&exp=3&kid=k&sig=s")
                .build();
        JsonObject json = new JsonObject(WebhookPayload.json(n));

        assertThat(List.copyOf(json.fieldNames())).endsWith("explanation", "stream_url", "player_url", "snapshot_url", "data");
        assertThat(json.getString("stream_url")).isEqualTo(n.getStreamUrl());
        assertThat(json.getString("player_url")).isEqualTo(n.getPlayerUrl());
        assertThat(json.getString("snapshot_url")).isEqualTo(n.getSnapshotUrl());
    }

    @Test
    void secondsArePlainDecimalsThatReadAsFloats() {
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(1_700_000_000_500L))).isEqualTo("1700000000.5");
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(1_700_000_000_000L))).isEqualTo("1700000000.0");
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(1_700_000_000_123L))).isEqualTo("1700000000.123");
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(1_700_000_000_007L))).isEqualTo("1700000000.007");
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(1_700_000_000_120L))).isEqualTo("1700000000.12");
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(0))).isEqualTo("0.0");
        assertThat(WebhookPayload.seconds(Instant.ofEpochMilli(-1_500))).as("before 1970").isEqualTo("-1.5");
        String body = WebhookPayload.json(Fixtures.notification("0123456789abcdef", "https://example.com/hook", "r1"));
        assertThat(body).contains("\"start_time\":1700000000.5,\"end_time\":1700000002.0");
    }
}
