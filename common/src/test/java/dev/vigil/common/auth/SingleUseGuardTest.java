package dev.vigil.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.auth.WsTickets.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleUseGuardTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void consumesATicketOnceAndRefusesItsReuse() throws Exception {
        WsTickets tickets = new WsTickets(WsTickets.randomSecret(), TTL, clock);
        SingleUseGuard guard = new SingleUseGuard(100, clock);
        String token = tickets.issue("default");

        assertThat(guard.tryConsume(tickets.verify(token))).isTrue();
        assertThat(guard.tryConsume(tickets.verify(token))).isFalse();
        assertThat(guard.tryConsume(tickets.verify(tickets.issue("default")))).isTrue();
    }

    @Test
    void refusesAnAlreadyExpiredTicketWithoutRememberingIt() {
        SingleUseGuard guard = new SingleUseGuard(100, clock);

        assertThat(guard.tryConsume(ticket("n1", T0))).isFalse();
        assertThat(guard.size()).isZero();
    }

    @Test
    void prunesExpiredNoncesOnLaterCalls() {
        SingleUseGuard guard = new SingleUseGuard(100, clock);
        for (int i = 0; i < 10; i++) {
            guard.tryConsume(ticket("short-" + i, T0.plusSeconds(5)));
        }
        guard.tryConsume(ticket("long", T0.plusSeconds(60)));
        assertThat(guard.size()).isEqualTo(11);

        clock.advance(Duration.ofSeconds(10));
        assertThat(guard.tryConsume(ticket("fresh", T0.plusSeconds(40)))).isTrue();

        assertThat(guard.size()).isEqualTo(2); // "long" and "fresh"
        assertThat(guard.tryConsume(ticket("long", T0.plusSeconds(60)))).as("still remembered").isFalse();
    }

    @Test
    void refusesNewTicketsWhenFullRatherThanGrowingOrForgetting() {
        SingleUseGuard guard = new SingleUseGuard(3, clock);
        assertThat(guard.tryConsume(ticket("a", T0.plusSeconds(30)))).isTrue();
        assertThat(guard.tryConsume(ticket("b", T0.plusSeconds(30)))).isTrue();
        assertThat(guard.tryConsume(ticket("c", T0.plusSeconds(30)))).isTrue();

        assertThat(guard.tryConsume(ticket("d", T0.plusSeconds(30)))).as("full").isFalse();
        assertThat(guard.tryConsume(ticket("a", T0.plusSeconds(30)))).as("still remembered").isFalse();
        assertThat(guard.size()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(31));
        assertThat(guard.tryConsume(ticket("d", T0.plusSeconds(90)))).as("room again after expiry").isTrue();
        assertThat(guard.size()).isEqualTo(1);
    }

    @Test
    void prunesAtMostOncePerInterval() {
        SingleUseGuard guard = new SingleUseGuard(100, clock);
        guard.tryConsume(ticket("a", T0.plusMillis(1_500)));
        clock.advance(Duration.ofMillis(1_600)); // "a" expired, but the first call swept at T0

        guard.tryConsume(ticket("b", T0.plusSeconds(30)));
        assertThat(guard.size()).as("swept: a full interval has passed").isEqualTo(1);

        guard.tryConsume(ticket("c", T0.plusMillis(1_700)));
        clock.advance(Duration.ofMillis(200));
        guard.tryConsume(ticket("d", T0.plusSeconds(30)));
        assertThat(guard.size()).as("not swept yet: less than an interval since the last sweep").isEqualTo(3);
    }

    @Test
    void concurrentConsumersAdmitEachNonceExactlyOnceAndNeverExceedTheCap() throws Exception {
        SingleUseGuard guard = new SingleUseGuard(500, clock);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 1_000; i++) { // every thread offers the same 1000 nonces
                    if (guard.tryConsume(ticket("n" + i, T0.plusSeconds(30)))) {
                        admitted.incrementAndGet();
                    }
                }
            }, "guard-test-" + t));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(admitted.get()).isEqualTo(500);
        assertThat(guard.size()).isEqualTo(500);
    }

    @Test
    void refusesANonPositiveCap() {
        assertThatThrownBy(() -> new SingleUseGuard(0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Ticket ticket(String nonce, Instant expiresAt) {
        return new Ticket("default", expiresAt, nonce);
    }
}
