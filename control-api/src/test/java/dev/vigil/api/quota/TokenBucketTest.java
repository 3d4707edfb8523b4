package dev.vigil.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aFullBucketAllowsItsCapacityThenSaysHowLongToWait() {
        TokenBucket bucket = new TokenBucket(3, TimeUnit.SECONDS.toNanos(1), now::get);
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        long wait = bucket.tryTake();
        assertThat(wait).isPositive().isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(334));
    }

    @Test
    void tokensComeBackOverTimeUpToTheCapacity() {
        TokenBucket bucket = new TokenBucket(2, TimeUnit.MINUTES.toNanos(1), now::get);
        bucket.tryTake();
        bucket.tryTake();
        assertThat(bucket.tryTake()).isPositive();
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isPositive();
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).isZero();
        assertThat(bucket.tryTake()).as("never more than the capacity").isPositive();
    }
}
