package dev.vigil.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceGroupTest {

    private final List<String> events = new ArrayList<>();

    private class Part implements Service {
        private final String name;
        private final boolean failsToStart;
        private boolean running;
        private boolean alive = true;

        Part(String name, boolean failsToStart) {
            this.name = name;
            this.failsToStart = failsToStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            if (failsToStart) {
                throw new IllegalStateException(name + " cannot start");
            }
            running = true;
            events.add("start " + name);
        }

        @Override
        public boolean isReady() {
            return running;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void close() {
            if (running) {
                events.add("stop " + name);
            }
            running = false;
        }
    }

    @Test
    void stopsInReverseStartOrder() throws Exception {
        ServiceGroup group = new ServiceGroup("test");
        group.start(new Part("broker", false));
        group.start(new Part("api", false));
        assertThat(group.isReady()).isTrue();
        assertThat(group.readiness()).containsExactly(java.util.Map.entry("broker", true), java.util.Map.entry("api", true));

        group.close();
        group.close();

        assertThat(events).containsExactly("start broker", "start api", "stop api", "stop broker");
        assertThat(group.isReady()).isFalse();
    }

    @Test
    void failedStartStopsWhatWasAlreadyStarted() throws Exception {
        ServiceGroup group = new ServiceGroup("test");
        group.start(new Part("broker", false));

        assertThatThrownBy(() -> group.start(new Part("api", true))).hasMessage("api cannot start");

        assertThat(events).containsExactly("start broker", "stop broker");
    }

    @Test
    void livenessNamesEveryServiceAndTurnsFalseForOneBeyondRepair() throws Exception {
        ServiceGroup group = new ServiceGroup("test");
        group.start(new Part("vertx", false));
        Part dispatcher = group.start(new Part("webhook-dispatcher", false));
        assertThat(group.liveness()).containsExactly(java.util.Map.entry("vertx", true),
                java.util.Map.entry("webhook-dispatcher", true));

        dispatcher.alive = false;

        assertThat(group.liveness()).containsEntry("webhook-dispatcher", false).containsEntry("vertx", true);
        group.close();
    }

    @Test
    void readinessAndLivenessAnswerWhileAStartIsInProgress() throws Exception {
        ServiceGroup group = new ServiceGroup("test");
        group.start(new Part("ops-http", false));
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Service slow = new Part("http", false) {
            @Override
            public void start() {
                starting.countDown();
                // Like an HTTP server waiting for its event loop, which is busy answering the probe.
                awaitQuietly(release);
                super.start();
            }
        };
        Thread starter = new Thread(() -> {
            try {
                group.start(slow);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "starter");
        starter.start();
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Map<String, Boolean>> probe = CompletableFuture.supplyAsync(group::readiness);
        CompletableFuture<Map<String, Boolean>> health = CompletableFuture.supplyAsync(group::liveness);

        assertThat(probe.get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("ops-http", true));
        assertThat(health.get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("ops-http", true));
        release.countDown();
        starter.join(10_000);
        assertThat(group.readiness()).containsEntry("http", true);
        group.close();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void emptyGroupIsNotReady() {
        assertThat(new ServiceGroup("empty").isReady()).isFalse();
    }
}
