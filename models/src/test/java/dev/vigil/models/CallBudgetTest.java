package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallBudgetTest {

    private final AtomicLong now = new AtomicLong(0);

    @Test
    void aMinutesCallsAreAvailableAtOnceThenRefillAtTheRate() {
        CallBudget budget = new CallBudget(60, now::get);
        for (int i = 0; i < 60; i++) {
            assertThat(budget.tryTake("c1")).isTrue();
        }
        assertThat(budget.tryTake("c1")).isFalse();
        now.addAndGet(1_000_000_000L); // one second: one call at 60 a minute
        assertThat(budget.tryTake("c1")).isTrue();
        assertThat(budget.tryTake("c1")).isFalse();
    }

    @Test
    void collectionsHaveTheirOwnBudgets() {
        CallBudget budget = new CallBudget(1, now::get);
        assertThat(budget.tryTake("c1")).isTrue();
        assertThat(budget.tryTake("c1")).isFalse();
        assertThat(budget.tryTake("c2")).isTrue();
    }

    @Test
    void anIdleCollectionDoesNotSaveMoreThanAMinute() {
        CallBudget budget = new CallBudget(2, now::get);
        budget.tryTake("c1");
        now.addAndGet(3_600_000_000_000L);
        assertThat(budget.tryTake("c1")).isTrue();
        assertThat(budget.tryTake("c1")).isTrue();
        assertThat(budget.tryTake("c1")).isFalse();
    }
}
