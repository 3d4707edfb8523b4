package dev.vigil.indexer.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LanesTest {

    private static final long FAR = Long.MAX_VALUE - 1;

    @Test
    void queuesABurstLargerThanTheOldLimitWhenItCanBeServedInTime() throws Exception {
        try (Lanes lanes = Lanes.threads("vision", 1, 64)) {
            CountDownLatch release = new CountDownLatch(1);
            lanes.submit("s", () -> hold(release));
            List<Integer> ran = new CopyOnWriteArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            for (int i = 0; i < 40; i++) {
                int job = i;
                assertThat(lanes.submit("stream-" + i, deadline, () -> ran.add(job), () -> { })).isTrue();
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 40);
        }
    }

    @Test
    void expiresAJobPickedUpAfterItsDeadline() throws Exception {
        try (Lanes lanes = Lanes.threads("vision", 1, 16)) {
            CountDownLatch release = new CountDownLatch(1);
            lanes.submit("s", () -> hold(release));
            List<String> outcome = new CopyOnWriteArrayList<>();
            long deadline = System.currentTimeMillis() + 50;
            assertThat(lanes.submit("s", deadline, () -> outcome.add("ran"), () -> outcome.add("expired"))).isTrue();
            await().until(() -> System.currentTimeMillis() > deadline);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !outcome.isEmpty());
            assertThat(outcome).containsExactly("expired");
        }
    }

    @Test
    void refusesAJobItsLaneCannotStartBeforeItsDeadline() throws Exception {
        try (Lanes lanes = Lanes.threads("vision", 1, 16)) {
            // One job of at least 200 ms: the lane's pace becomes at least 40 ms a job (a fifth of it).
            long started = System.currentTimeMillis();
            CountDownLatch slowDone = new CountDownLatch(1);
            lanes.submit("s", FAR, () -> {
                await().until(() -> System.currentTimeMillis() - started >= 200);
                slowDone.countDown();
            }, () -> { });
            assertThat(slowDone.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch release = new CountDownLatch(1);
            lanes.submit("s", () -> hold(release));
            await().until(() -> lanes.backlog() == 1);
            try {
                // One job ahead at ≥ 40 ms each: a job due in 5 ms cannot start in time; one due in a minute can.
                assertThat(lanes.submit("s", System.currentTimeMillis() + 5, () -> { }, () -> { })).isFalse();
                assertThat(lanes.submit("s", System.currentTimeMillis() + 60_000, () -> { }, () -> { })).isTrue();
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void runsAJobOnEveryLane() throws Exception {
        try (Lanes lanes = Lanes.threads("vision", 3, 16)) {
            List<String> threads = new CopyOnWriteArrayList<>();
            lanes.onEveryLane(() -> threads.add(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            assertThat(threads).containsExactlyInAnyOrder("vigil-indexer-vision-0", "vigil-indexer-vision-1",
                    "vigil-indexer-vision-2");
        }
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
