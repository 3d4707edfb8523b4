package dev.vigil.webhooks.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.schemas.alerts.AlertNotification;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON body of an alert webhook (webhooks/DESIGN.md):
 * {@code {"id","event_id","alert_id","event_label","label","rtstream_id","rtstream_name","index_id",
 * "timestamp","start_time","end_time","confidence","explanation","stream_url"?,"player_url"?,"snapshot_url"?,
 * "data":{"text"}}} — the three links only for recorded streams.
 *
 * <p>{@code timestamp} is epoch milliseconds. {@code start_time}/{@code end_time} are seconds as JSON
 * numbers with a fraction, as VideoDB documents them (docs/videodb-wire.md §9.1: "float, seconds"):
 * written in plain notation ({@code 1700000000.5}, never {@code 1.7000000005E9}) and always with a
 * decimal point, so Python receivers get a {@code float}. {@code event_label} and {@code label} carry
 * the same value: VideoDB's payload shapes use either name.
 */
public final class WebhookPayload {

    private static final JsonFactory JSON = new JsonFactory();

    private WebhookPayload() {
    }

    /** The body for {@code n}; the exact string that is signed and sent. */
    public static String json(AlertNotification n) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", n.getId());
            g.writeStringField("event_id", n.getEventId());
            g.writeStringField("alert_id", n.getAlertId());
            g.writeStringField("event_label", n.getLabel());
            g.writeStringField("label", n.getLabel());
            g.writeStringField("rtstream_id", n.getRtstreamId());
            g.writeStringField("rtstream_name", n.getRtstreamName());
            g.writeStringField("index_id", n.getIndexId());
            g.writeNumberField("timestamp", n.getTimestamp().toEpochMilli());
            g.writeFieldName("start_time");
            g.writeNumber(seconds(n.getStart()));
            g.writeFieldName("end_time");
            g.writeNumber(seconds(n.getEnd()));
            g.writeNumberField("confidence", n.getConfidence());
            g.writeStringField("explanation", n.getExplanation());
            // VideoDB's alert callbacks carry the clip (§9.1); Vigil adds the snapshot. Only for recorded streams.
            writeIfPresent(g, "stream_url", n.getStreamUrl());
            writeIfPresent(g, "player_url", n.getPlayerUrl());
            writeIfPresent(g, "snapshot_url", n.getSnapshotUrl());
            g.writeObjectFieldStart("data");
            g.writeStringField("text", n.getText());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write webhook payload of " + n.getId(), e);
        }
        return out.toString();
    }

    private static void writeIfPresent(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Epoch seconds with millisecond precision, plain notation, at least one decimal. */
    static String seconds(Instant t) {
        long ms = t.toEpochMilli();
        StringBuilder out = new StringBuilder(24);
        if (ms < 0) {
            out.append('-');
            ms = -ms;
        }
        long whole = ms / 1000;
        int fraction = (int) (ms % 1000);
        out.append(whole).append('.');
        if (fraction == 0) {
            return out.append('0').toString();
        }
        // Three digits, trailing zeros dropped: 500 -> "5", 120 -> "12", 7 -> "007".
        String digits = Integer.toString(1000 + fraction).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return out.append(digits, 0, end).toString();
    }
}
