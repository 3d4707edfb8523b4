package dev.vigil.alerts.poison;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordTimestampsTest {

    private static ConsumerRecord<Object, Object> at(long timestamp) {
        return new ConsumerRecord<>("vigil.index.scene", 0, 7, timestamp, TimestampType.CREATE_TIME, 0, 0, "k", "v",
                new RecordHeaders(), Optional.empty());
    }

    @Test
    void usesTheRecordTimestamp() {
        assertThat(new RecordTimestamps().extract(at(1_000), 5_000)).isEqualTo(1_000);
    }

    @Test
    void anInvalidTimestampTakesThePartitionTimeOrTheWallClock() {
        assertThat(new RecordTimestamps().extract(at(-1), 5_000)).isEqualTo(5_000);
        long before = System.currentTimeMillis();
        assertThat(new RecordTimestamps().extract(at(-1), -1)).isGreaterThanOrEqualTo(before);
    }
}
