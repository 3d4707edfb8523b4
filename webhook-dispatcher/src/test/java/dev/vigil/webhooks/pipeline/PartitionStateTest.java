package dev.vigil.webhooks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.webhooks.Replay;
import dev.vigil.webhooks.testing.Fixtures;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionStateTest {

    private final PartitionState state = new PartitionState(new TopicPartition("t", 0), -1);

    @Test
    void nothingToCommitBeforeTheFirstRecord() {
        assertThat(state.commitOffset()).isEqualTo(-1);
    }

    @Test
    void commitsOnlyUpToTheFirstUnsettledRecord() {
        PartitionState.Entry a = state.add(10, null);
        PartitionState.Entry b = state.add(11, null);
        PartitionState.Entry c = state.add(12, null);
        assertThat(state.commitOffset()).isEqualTo(10);

        state.settle(c);
        state.settle(b);
        assertThat(state.commitOffset()).as("record 10 is still in flight").isEqualTo(10);

        state.settle(a);
        assertThat(state.commitOffset()).isEqualTo(13);
        assertThat(state.unsettledCount()).isZero();
    }

    @Test
    void settlingTwiceCountsOnce() {
        PartitionState.Entry a = state.add(0, null);
        assertThat(state.settle(a)).isTrue();
        assertThat(state.settle(a)).isFalse();
    }

    @Test
    void tierRecordsWaitInOrderUntilReleased() {
        PartitionState tier = new PartitionState(new TopicPartition("retry", 0), 0);
        WebhookDelivery d = Replay.record(Fixtures.notification("0123456789abcdef", "http://x/", "r"), Instant.EPOCH);
        PartitionState.Entry head = tier.add(5, d);
        assertThat(tier.hasNotDue()).isTrue();
        assertThat(tier.headNotDue()).isSameAs(head);
        assertThat(tier.releaseHead()).isSameAs(head);
        assertThat(tier.hasNotDue()).isFalse();
        assertThat(tier.commitOffset()).as("released is not settled").isEqualTo(5);
        tier.settle(head);
        assertThat(tier.commitOffset()).isEqualTo(6);
    }

    @Test
    void revokingForgetsEverything() {
        state.add(0, null);
        state.add(1, null);
        assertThat(state.revoke()).isEqualTo(2);
        assertThat(state.revoked()).isTrue();
        assertThat(state.unsettledCount()).isZero();
    }

    @Test
    void aFailedAsyncCommitIsRequestedAgain() {
        state.add(0, null);
        state.settle(state.add(1, null));
        state.requested(0);
        state.requestFailed();
        assertThat(state.requested()).isEqualTo(-1);
        state.committed(2);
        assertThat(state.requested()).isEqualTo(2);
    }
}
