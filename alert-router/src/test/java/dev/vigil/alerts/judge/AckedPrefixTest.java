package dev.vigil.alerts.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckedPrefixTest {

    @Test
    void commitsOnlyUpToTheFirstUnfinishedOffset() {
        AckedPrefix prefix = new AckedPrefix();
        prefix.taken(10);
        prefix.taken(11);
        prefix.taken(12);
        assertThat(prefix.toCommit()).isEqualTo(-1);

        prefix.finished(12); // overtakes 10 and 11
        prefix.finished(11);
        assertThat(prefix.toCommit()).isEqualTo(-1);
        assertThat(prefix.uncommitted()).isEqualTo(3);

        prefix.finished(10);
        assertThat(prefix.toCommit()).isEqualTo(13);
        assertThat(prefix.uncommitted()).isZero();
    }

    @Test
    void offersEachAdvanceOnceAndSkipsOffsetsNeverTaken() {
        AckedPrefix prefix = new AckedPrefix();
        prefix.taken(5);
        prefix.taken(9); // 6–8: transaction markers or compacted away, never delivered
        prefix.finished(5);
        assertThat(prefix.toCommit()).isEqualTo(6);
        prefix.committing(6);
        assertThat(prefix.toCommit()).isEqualTo(-1);

        prefix.finished(9);
        prefix.finished(42); // not taken: ignored
        assertThat(prefix.toCommit()).isEqualTo(10);
        prefix.committing(10);
        assertThat(prefix.toCommit()).isEqualTo(-1);
    }
}
