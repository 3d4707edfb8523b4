package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.testing.IngestHarness;
import dev.vigil.ingest.testing.MediaFiles;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream ownership through the consumer group: a worker that dies hands its streams to the survivor
 * within 10 s; a worker that joins or leaves moves only the streams of the partitions that change
 * owner.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class FailoverIT {

    private static final Logger log = LoggerFactory.getLogger(FailoverIT.class);

    @TempDir
    static Path dir;
    static Path clip;
    static TestKafka kafka;

    /** Looping files played at real time: streams that never end by themselves. */
    private static final Map<String, String> LIVE_FILES = Map.of("VIGIL_INGEST_PACING", "files");

    @BeforeAll
    static void fixtures(TestKafka testKafka) {
        MediaFiles.assumeFfmpeg();
        kafka = testKafka;
        clip = MediaFiles.clip(dir, "loop.mp4", 2, 320, 240);
    }

    /** Two looping streams in each of the 4 partitions (ids are random: picked by partition). */
    private static List<RtStreamSpec> startStreams(IngestHarness harness) {
        List<RtStreamSpec> specs = new ArrayList<>();
        int[] wanted = {2, 2, 2, 2};
        while (specs.size() < 8) {
            RtStreamSpec spec = IngestHarness.spec(clip.toUri() + "?loop=true", 1, MediaType.VIDEO);
            int partition = partitionOf(spec.getId(), 4);
            if (wanted[partition] > 0) {
                wanted[partition]--;
                specs.add(harness.put(spec));
            }
        }
        return specs;
    }

    private static Predicate<RtStreamSpec> connectedOn(IngestHarness harness, String worker) {
        return spec -> {
            StreamStatus s = harness.status(spec.getId());
            return s != null && s.getState() == IngestState.CONNECTED && worker.equals(s.getWorkerId());
        };
    }

    @Test
    void survivorTakesOverTheStreamsOfACrashedWorkerWithinTenSeconds() throws Exception {
        try (IngestHarness harness = IngestHarness.create(kafka, 4, LIVE_FILES)) {
            IngestWorkerService a = harness.startWorker("worker-a");
            IngestWorkerService b = harness.startWorker("worker-b");
            Eventually.await().until(() -> a.assignedPartitions().size() == 2 && b.assignedPartitions().size() == 2);
            // Four streams in a's partitions, four in b's (ids are random: pick them by partition).
            List<RtStreamSpec> specs = new ArrayList<>();
            int onAWanted = 4;
            int onBWanted = 4;
            while (onAWanted + onBWanted > 0) {
                RtStreamSpec spec = IngestHarness.spec(clip.toUri() + "?loop=true", 1, MediaType.VIDEO);
                boolean forA = a.assignedPartitions().contains(partitionOf(spec.getId(), 4));
                if (forA && onAWanted > 0 || !forA && onBWanted > 0) {
                    specs.add(harness.put(spec));
                    onAWanted -= forA ? 1 : 0;
                    onBWanted -= forA ? 0 : 1;
                }
            }
            Eventually.await().until(() -> specs.stream().allMatch(s -> harness.status(s.getId()) != null
                    && harness.status(s.getId()).getState() == IngestState.CONNECTED));
            List<RtStreamSpec> onA = specs.stream().filter(connectedOn(harness, "worker-a")).toList();
            List<RtStreamSpec> onB = specs.stream().filter(connectedOn(harness, "worker-b")).toList();
            assertThat(onA).hasSize(4);
            assertThat(onB).hasSize(4);

            long crash = System.nanoTime();
            a.halt();
            // No leave request: the group only learns of it when a's session (6 s) expires.
            Eventually.within(Duration.ofSeconds(10)).alias("worker-b owns worker-a's streams")
                    .until(() -> onA.stream().allMatch(connectedOn(harness, "worker-b")));
            log.info("Fail-over: worker-b ingests worker-a's {} streams {} ms after the crash", onA.size(),
                    (System.nanoTime() - crash) / 1_000_000);
            assertThat(b.assignedPartitions()).hasSize(4);
            assertThat(b.streams()).containsKeys(specs.stream().map(RtStreamSpec::getId).toArray(String[]::new));
            // A crash writes no status of its own: the streams went from a's CONNECTED to b's.
            for (RtStreamSpec spec : onA) {
                assertThat(harness.statuses.values(spec.getId())).noneMatch(s -> "worker-a".equals(s.getWorkerId())
                        && s.getState() == IngestState.RECONNECTING);
            }
            int framesBefore = harness.frames.values(onA.get(0).getId()).size();
            Eventually.await().until(() -> harness.frames.values(onA.get(0).getId()).size() > framesBefore);
        }
    }

    @Test
    void joiningAndLeavingWorkersMoveOnlyTheirPartitions() throws Exception {
        try (IngestHarness harness = IngestHarness.create(kafka, 4, LIVE_FILES)) {
            IngestWorkerService b = harness.startWorker("worker-b");
            List<RtStreamSpec> specs = startStreams(harness);
            Eventually.await().until(() -> specs.stream().allMatch(connectedOn(harness, "worker-b")));

            IngestWorkerService c = harness.startWorker("worker-c");
            Eventually.await().until(() -> c.assignedPartitions().size() == 2 && b.assignedPartitions().size() == 2);
            Eventually.await().until(() -> specs.stream().allMatch(s -> connectedOn(harness, "worker-b").test(s)
                    || connectedOn(harness, "worker-c").test(s)));
            List<RtStreamSpec> moved = specs.stream().filter(connectedOn(harness, "worker-c")).toList();
            List<RtStreamSpec> stayed = specs.stream().filter(connectedOn(harness, "worker-b")).toList();
            assertThat(moved).hasSize(4);
            assertThat(stayed).hasSize(4);
            // Cooperative rebalancing: b's remaining streams never stopped.
            for (RtStreamSpec spec : stayed) {
                assertThat(harness.states(spec.getId())).containsExactly(IngestState.CONNECTING, IngestState.CONNECTED);
            }
            // Moved streams were marked released by b before c reported on them.
            for (RtStreamSpec spec : moved) {
                List<StreamStatus> history = harness.statuses.values(spec.getId());
                int released = indexOf(history, s -> s.getState() == IngestState.RECONNECTING
                        && "worker-b".equals(s.getWorkerId()) && s.getReason().contains("released by worker worker-b"));
                int taken = indexOf(history, s -> "worker-c".equals(s.getWorkerId()));
                assertThat(released).isGreaterThanOrEqualTo(0).isLessThan(taken);
            }

            // A graceful stop leaves the group: b takes the streams back at once, no session timeout.
            c.close();
            Eventually.within(Duration.ofSeconds(5)).until(() -> specs.stream().allMatch(connectedOn(harness, "worker-b")));
            assertThat(b.assignedPartitions()).hasSize(4);
        }
    }

    @Test
    void endedStreamsStayEndedUnderTheNextOwner() throws Exception {
        try (IngestHarness harness = IngestHarness.create(kafka, 1, Map.of())) {
            IngestWorkerService first = harness.startWorker("worker-d");
            RtStreamSpec spec = harness.put(IngestHarness.spec(clip.toString(), 1, MediaType.VIDEO));
            harness.awaitState(spec.getId(), IngestState.ENDED);
            Eventually.await().until(() -> harness.frames.values(spec.getId()).size() == 2);
            first.close();

            IngestWorkerService next = harness.startWorker("worker-e");
            Eventually.await().until(() -> next.streams().containsKey(spec.getId()));
            // Owned, but not read again: no new session, no duplicate frames.
            assertThat(harness.states(spec.getId())).containsExactly(IngestState.CONNECTING, IngestState.CONNECTED,
                    IngestState.ENDED);
            assertThat(harness.frames.values(spec.getId())).hasSize(2);

            // A new start request (control-api rewrites the spec) plays it again.
            harness.put(spec, dev.vigil.schemas.control.DesiredState.STARTED);
            Eventually.await().until(() -> harness.frames.values(spec.getId()).size() == 4);
            StreamStatus again = harness.awaitState(spec.getId(), IngestState.ENDED);
            assertThat(again.getWorkerId()).isEqualTo("worker-e");
        }
    }

    /** The partition Kafka's default partitioner picks for {@code key}. */
    private static int partitionOf(String key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    private static int indexOf(List<StreamStatus> history, Predicate<StreamStatus> match) {
        for (int i = 0; i < history.size(); i++) {
            if (match.test(history.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
