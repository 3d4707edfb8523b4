package dev.vigil.standalone.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.standalone.bench.capacity.ThreadGroups.Group;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadGroupsTest {

    @Test
    void tellsThreadGroupsApartByTheirNames() {
        assertThat(ThreadGroups.classify("vigil-ingest-rts-0193")).isEqualTo(Group.INGEST);
        assertThat(ThreadGroups.classify("kafka-producer-network-thread | vigil-ingest-media")).isEqualTo(Group.INGEST);
        assertThat(ThreadGroups.classify("vigil-record-rts-0193")).isEqualTo(Group.RECORDING);
        assertThat(ThreadGroups.classify("vigil-recording-upload")).isEqualTo(Group.RECORDING);
        assertThat(ThreadGroups.classify("vigil-indexer-vision-1")).isEqualTo(Group.VISION_LANES);
        assertThat(ThreadGroups.classify("vigil-indexer-speech-0")).isEqualTo(Group.SPEECH_LANES);
        // The indexer's Streams threads carry its application id, which the lanes' names share.
        assertThat(ThreadGroups.classify("vigil-indexer-3f2a-StreamThread-1")).isEqualTo(Group.INDEXER_STREAMS);
        assertThat(ThreadGroups.classify("vigil-alert-router-9c1d-StreamThread-1")).isEqualTo(Group.OTHER_STREAMS);
        assertThat(ThreadGroups.classify("data-plane-kafka-request-handler-0")).isEqualTo(Group.BROKER);
        assertThat(ThreadGroups.classify("kafka-producer-network-thread | vigil-alert-router")).isEqualTo(Group.CLIENTS);
        assertThat(ThreadGroups.classify("vert.x-eventloop-thread-0")).isEqualTo(Group.HTTP);
        assertThat(ThreadGroups.classify("vigil-records-refresh")).isEqualTo(Group.VIGIL_OTHER);
        assertThat(ThreadGroups.classify("HttpClient-1-Worker-0")).isEqualTo(Group.OTHER);
    }

    @Test
    void countsTheCpuOfABusyThreadInItsGroup() throws Exception {
        ThreadGroups.Snapshot before = ThreadGroups.Snapshot.take();
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = new Thread(() -> {
            while (!stop.get()) {
                sink += System.identityHashCode(new Object());
            }
        }, "vigil-ingest-busy");
        busy.start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ThreadGroups.Usage usage = ThreadGroups.Usage.between(before, ThreadGroups.Snapshot.take());
                assertThat(usage.coresByGroup().get(Group.INGEST)).isPositive();
                assertThat(usage.processCores()).isPositive();
            });
        } finally {
            stop.set(true);
            busy.join();
        }
    }

    private static volatile long sink;
}
