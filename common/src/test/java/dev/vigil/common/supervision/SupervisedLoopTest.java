package dev.vigil.common.supervision;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The supervision rules on a plain in-memory loop (the Kafka-backed loops are tested on the broker). */
class SupervisedLoopTest {

    private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 2,
            Duration.ofMinutes(1));

    /** Takes work items from a queue; an item "fail" throws, like a poison record or a broken client. */
    private static class QueueBody implements SupervisedLoop.Body {
        final LinkedBlockingQueue<String> work = new LinkedBlockingQueue<>();
        final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        final AtomicInteger opens = new AtomicInteger();
        volatile Throwable died;

        @Override
        public void open() {
            opens.incrementAndGet();
            log.add("open");
        }

        @Override
        public void runOnce() throws Exception {
            String item = work.poll(10, TimeUnit.MILLISECONDS);
            if ("fail".equals(item)) {
                throw new IllegalStateException("injected failure");
            }
            if (item != null) {
                log.add(item);
            }
        }

        @Override
        public void abandon() {
            log.add("abandon");
        }

        @Override
        public void finish() {
            log.add("finish");
        }

        @Override
        public void wakeup() {
            work.add("wakeup");
        }

        @Override
        public void died(Throwable cause) {
            died = cause;
        }
    }

    private SupervisedLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aFailureAbandonsBacksOffReopensAndGoesOn() throws Exception {
        QueueBody body = new QueueBody();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        loop = new SupervisedLoop("test-loop", "vigil-test-loop", body, new RestartBudget(FAST), true).bindTo(registry);
        loop.start();

        body.work.addAll(List.of("a", "fail", "b"));

        await().until(() -> body.log.contains("b"));
        assertThat(body.log).containsExactly("open", "a", "abandon", "open", "b");
        assertThat(loop.failures()).isEqualTo(1);
        assertThat(loop.restarts()).isEqualTo(1);
        assertThat(loop.isAlive()).isTrue();
        assertThat(loop.isRunning()).isTrue();
        assertThat(registry.get("vigil.loop.restarts").tag("loop", "test-loop").functionCounter().count()).isEqualTo(1);
        assertThat(loop.lastFailure()).hasMessage("injected failure");
    }

    @Test
    void pastTheBudgetTheLoopIsDeadAndStopsForGood() throws Exception {
        QueueBody body = new QueueBody();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        loop = new SupervisedLoop("test-loop", "vigil-test-loop", body, new RestartBudget(FAST), true).bindTo(registry);
        loop.start();

        body.work.addAll(List.of("fail", "fail", "fail", "after"));

        await().until(() -> !loop.isAlive());
        assertThat(loop.state()).isEqualTo(SupervisedLoop.State.DEAD);
        assertThat(body.died).hasMessage("injected failure");
        assertThat(loop.failures()).isEqualTo(3);
        assertThat(loop.restarts()).isEqualTo(2);
        await().until(loop::isStopped);
        assertThat(body.log).doesNotContain("after", "finish");
        assertThat(registry.get("vigil.loop.dead").tag("loop", "test-loop").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void closeFinishesOnTheLoopThreadAndJoinsIt() throws Exception {
        QueueBody body = new QueueBody();
        loop = new SupervisedLoop("test-loop", "vigil-test-loop", body, new RestartBudget(FAST), true);
        loop.start();

        loop.close();

        assertThat(loop.isStopped()).isTrue();
        assertThat(loop.state()).isEqualTo(SupervisedLoop.State.STOPPED);
        assertThat(body.log).containsExactly("open", "finish");
        assertThat(loop.isAlive()).as("an orderly stop is not a death").isTrue();
    }

    @Test
    void closeDuringABackoffStopsAtOnce() throws Exception {
        QueueBody body = new QueueBody();
        RestartPolicy slow = new RestartPolicy(Duration.ofHours(1), Duration.ofHours(1), 5, Duration.ofHours(2));
        loop = new SupervisedLoop("test-loop", "vigil-test-loop", body, new RestartBudget(slow), true);
        loop.start();
        body.work.add("fail");
        await().until(() -> loop.state() == SupervisedLoop.State.RESTARTING);

        loop.close();

        assertThat(loop.isStopped()).isTrue();
        assertThat(body.log).containsExactly("open", "abandon", "finish");
    }

    @Test
    void aFailingFirstOpenIsThrownToTheStarterAndStartsNothing() {
        QueueBody body = new QueueBody() {
            @Override
            public void open() {
                throw new IllegalStateException("topic x does not exist");
            }
        };
        loop = new SupervisedLoop("test-loop", "vigil-test-loop", body, new RestartBudget(FAST), true);

        assertThatThrownBy(loop::start).hasMessage("topic x does not exist");
        assertThat(loop.failures()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vigil-test-loop") && t.isAlive());
    }
}
