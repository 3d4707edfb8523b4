package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.StreamStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

    private static final String TOPIC = Topics.RTSTREAM_STATUS.name(Topics.DEFAULT_PREFIX);
    private static final Instant UPDATED_AT = Instant.parse("2024-06-11T10:15:30.123Z");

    @Test
    void loadsOlderSchemasListedOnTheClasspath() throws IOException {
        Schema v1 = olderStreamStatus();

        Schema found = SchemaHistory.instance().findByFingerprint(SchemaNormalization.parsingFingerprint64(v1));

        assertThat(found).isEqualTo(v1);
    }

    @Test
    void decodesRecordWrittenWithOlderSchema() throws IOException {
        Schema v1 = olderStreamStatus();
        GenericRecord old = new GenericRecordBuilder(v1)
                .set("rtstream_id", "rts-0190a1b2")
                .set("collection_id", "c-default")
                .set("state", new GenericData.EnumSymbol(v1.getField("state").schema(), "RECONNECTING"))
                .set("reason", "connection refused")
                .set("updated_at", UPDATED_AT.toEpochMilli())
                .build();

        StreamStatus decoded = Topics.RTSTREAM_STATUS.valueSerde().deserializer().deserialize(TOPIC, encode(v1, old));

        assertThat(decoded).isEqualTo(StreamStatus.newBuilder()
                .setRtstreamId("rts-0190a1b2")
                .setCollectionId("c-default")
                .setState(IngestState.RECONNECTING)
                .setReason("connection refused")
                .setWorkerId(null)
                .setReconnects(0L)
                .setUpdatedAt(UPDATED_AT)
                .build());
    }

    @Test
    void rejectsRecordWrittenWithSchemaNotInHistory() {
        Schema unknown = SchemaBuilder.record("StreamStatus").namespace("dev.vigil.schemas.control")
                .fields().requiredString("rtstream_id").requiredString("zone").endRecord();
        GenericRecord record = new GenericRecordBuilder(unknown).set("rtstream_id", "rts-1").set("zone", "door").build();
        byte[] bytes = encode(unknown, record);

        assertThatThrownBy(() -> Topics.RTSTREAM_STATUS.valueSerde().deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasCauseInstanceOf(MissingSchemaException.class);
    }

    @Test
    void transcriptRecordsWrittenBeforeWordTimestampsDecodeWithNoWords() throws IOException {
        Schema v1;
        try (InputStream in = SchemaHistoryTest.class.getResourceAsStream("/schema-history/TranscriptRecord.v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericRecordBuilder(v1)
                .set("rtstream_id", "rts-1").set("collection_id", "c-default").set("index_id", "idx-1")
                .set("start", UPDATED_AT.toEpochMilli()).set("end", UPDATED_AT.toEpochMilli() + 1500)
                .set("text", "help me").set("is_final", true).set("confidence", 0.9).set("engine", "sphinx4-grammar")
                .set("capture_ts", UPDATED_AT.toEpochMilli()).set("emit_ts", UPDATED_AT.toEpochMilli())
                .build();
        String topic = Topics.INDEX_TRANSCRIPT.name(Topics.DEFAULT_PREFIX);

        dev.vigil.schemas.index.TranscriptRecord decoded =
                Topics.INDEX_TRANSCRIPT.valueSerde().deserializer().deserialize(topic, encode(v1, old));

        assertThat(decoded.getText()).isEqualTo("help me");
        assertThat(decoded.getWords()).isNull();
    }

    private static Schema olderStreamStatus() throws IOException {
        try (InputStream in = SchemaHistoryTest.class.getResourceAsStream("/schema-history-test/StreamStatus.v1.avsc")) {
            assertThat(in).as("test schema resource").isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] encode(Schema writer, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new AssertionError("cannot encode test record", e);
        }
    }
}
