package dev.vigil.ws.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfOneSecondThenTheRate() {
        TokenBucket bucket = new TokenBucket(5, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(0)).as("burst frame %d", i).isTrue();
        }
        assertThat(bucket.tryTake(0)).isFalse();
        assertThat(bucket.tryTake(SECOND / 5 - 1)).isFalse();
        assertThat(bucket.tryTake(SECOND / 5)).isTrue();
        assertThat(bucket.tryTake(SECOND / 5)).isFalse();
    }

    @Test
    void neverHoldsMoreThanOneSecondOfTokens() {
        TokenBucket bucket = new TokenBucket(2, 0);
        long later = 60 * SECOND;
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isFalse();
    }
}
