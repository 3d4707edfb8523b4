package dev.vigil.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceGroupTest {

    private final List<String> events = new ArrayList<>();

    private final class Part implements Service {
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
    void emptyGroupIsNotReady() {
        assertThat(new ServiceGroup("empty").isReady()).isFalse();
    }
}
