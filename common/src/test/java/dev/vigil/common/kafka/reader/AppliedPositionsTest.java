package dev.vigil.common.kafka.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AppliedPositionsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void aWaiterCompletesOnlyOnceEveryPartitionReachedItsOffset() {
        AppliedPositions applied = new AppliedPositions();
        CompletableFuture<Void> waiter = applied.await(Map.of(P0, 3L, P1, 1L));

        applied.advanced(Map.of(P0, 3L, P1, 0L));
        applied.release();
        assertThat(waiter).isNotDone();

        applied.advanced(Map.of(P1, 1L));
        applied.release();
        assertThat(waiter).isCompleted();
    }

    @Test
    void offsetsAlreadyReachedCompleteAtOnce() {
        AppliedPositions applied = new AppliedPositions();
        applied.advanced(Map.of(P0, 5L));

        assertThat(applied.await(Map.of(P0, 5L))).isCompleted();
        assertThat(applied.await(Map.of(P0, 6L))).isNotDone();
        assertThat(applied.await(Map.of(P1, 0L))).as("an unknown partition is not reached").isNotDone();
    }

    @Test
    void aFailureFailsPresentAndFutureWaiters() {
        AppliedPositions applied = new AppliedPositions();
        CompletableFuture<Void> before = applied.await(Map.of(P0, 1L));

        applied.failed(new IllegalStateException("reader is dead"));

        assertThat(before).isCompletedExceptionally();
        assertThat(applied.await(Map.of(P0, 1L))).isCompletedExceptionally();
        assertThat(applied.failure()).hasMessage("reader is dead");
    }

    @Test
    void coversComparesNextOffsets() {
        assertThat(AppliedPositions.covers(Map.of(P0, 4L), Map.of(P0, 4L))).isTrue();
        assertThat(AppliedPositions.covers(Map.of(P0, 3L), Map.of(P0, 4L))).isFalse();
        assertThat(AppliedPositions.covers(Map.of(P0, 3L), Map.of())).isTrue();
    }
}
