package dev.vigil.common.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestartBudgetTest {

    private static final RestartPolicy POLICY = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 3,
            Duration.ofMinutes(10));

    @Test
    void backoffDoublesFromTheInitialUpToTheCap() {
        assertThat(POLICY.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(POLICY.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(POLICY.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.backoff(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.backoff(1_000)).as("no overflow far past the cap").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void spentOnlyWhenMoreFailuresThanAllowedFallWithinTheWindow() {
        AtomicLong now = new AtomicLong();
        RestartBudget budget = new RestartBudget(POLICY, now::get);

        assertThat(budget.recordFailure()).isEqualTo(1);
        assertThat(budget.recordFailure()).isEqualTo(2);
        assertThat(budget.recordFailure()).isEqualTo(3);
        assertThat(budget.spent()).isFalse();

        assertThat(budget.recordFailure()).isEqualTo(4);
        assertThat(budget.spent()).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        AtomicLong now = new AtomicLong();
        RestartBudget budget = new RestartBudget(POLICY, now::get);
        budget.recordFailure();
        budget.recordFailure();
        budget.recordFailure();

        now.addAndGet(Duration.ofMinutes(10).plusNanos(1).toNanos());

        assertThat(budget.recentFailures()).isZero();
        assertThat(budget.recordFailure()).as("the back-off starts over").isEqualTo(1);
        assertThat(budget.spent()).isFalse();
    }

    @Test
    void refusesAPolicyThatCannotWork() {
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartPolicy(Duration.ZERO, Duration.ZERO, 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
