package dev.vigil.standalone.bench.capacity;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads, summed by what they work for, told apart by the names Vigil, Kafka
 * Streams, the broker and Vert.x give their threads. A snapshot is taken at the start and at the end of
 * the measurement; a thread born in between counts from zero, one that died in between is lost (the
 * bench's threads live as long as the run). What no Java thread accounts for (GC, JIT) is the
 * difference between the process's CPU time and the threads'.
 */
final class ThreadGroups {

    /** Thread groups in report order. */
    enum Group {
        INGEST("ingest (FFmpeg decode, sampling, JPEG)"),
        RECORDING("recording (packet copy, TS mux, upload, index)"),
        VISION_LANES("indexer vision lanes (OpenCV)"),
        SPEECH_LANES("indexer speech lanes (recognition)"),
        INDEXER_STREAMS("indexer Kafka Streams threads"),
        OTHER_STREAMS("alert-router and other Kafka Streams threads"),
        BROKER("embedded broker"),
        CLIENTS("Kafka client I/O threads"),
        HTTP("HTTP / WebSocket (Vert.x)"),
        VIGIL_OTHER("other Vigil threads (readers, records store)"),
        OTHER("other Java threads (bench client, JDK)");

        final String label;

        Group(String label) {
            this.label = label;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Which group a thread of this name works for. */
    static Group classify(String name) {
        if (name.contains("StreamThread")) {
            return name.startsWith("vigil-indexer") ? Group.INDEXER_STREAMS : Group.OTHER_STREAMS;
        }
        if (name.startsWith("vigil-ingest-") || name.contains("| vigil-ingest")) {
            return Group.INGEST;
        }
        if (name.startsWith("vigil-record-") || name.startsWith("vigil-recording-")) {
            return Group.RECORDING;
        }
        if (name.startsWith("vigil-indexer-vision-") || name.startsWith("vigil-indexer-model-")) {
            return Group.VISION_LANES;
        }
        if (name.startsWith("vigil-indexer-speech-")) {
            return Group.SPEECH_LANES;
        }
        if (name.startsWith("kafka-producer-network-thread") || name.startsWith("kafka-coordinator-heartbeat-thread")
                || name.startsWith("kafka-admin-client-thread") || name.contains("consumer_background_thread")) {
            return Group.CLIENTS;
        }
        if (name.startsWith("vert.x-")) {
            return Group.HTTP;
        }
        if (name.startsWith("vigil-")) {
            return Group.VIGIL_OTHER;
        }
        if (isBroker(name)) {
            return Group.BROKER;
        }
        return Group.OTHER;
    }

    private static boolean isBroker(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        for (String marker : new String[] {"kafka-request-handler", "kafka-network-thread", "raft", "broker-", "controller",
            "kafka-scheduler", "expirationreaper", "coordinator", "logdirfailurehandler", "log-cleaner", "replicafetcher",
            "metadata", "quorum", "share-", "transaction", "persister", "executor-", "data-plane", "kafka-log",
            "remote-log", "socket-server", "acceptor", "processor", "delayed", "fetch-session", "purgatory"}) {
            if (n.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** CPU nanoseconds per live thread id, with the thread's group. */
    record Snapshot(long processCpuNanos, long wallNanos, Map<Long, Long> cpuByThread, Map<Long, Group> groupByThread) {

        static Snapshot take() {
            long[] ids = THREADS.getAllThreadIds();
            ThreadInfo[] infos = THREADS.getThreadInfo(ids);
            Map<Long, Long> cpu = new HashMap<>();
            Map<Long, Group> groups = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                long time = THREADS.getThreadCpuTime(ids[i]);
                if (infos[i] != null && time >= 0) {
                    cpu.put(ids[i], time);
                    groups.put(ids[i], classify(infos[i].getThreadName()));
                }
            }
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            return new Snapshot(process, System.nanoTime(), cpu, groups);
        }
    }

    /** Cores used between two snapshots: by group, by the whole process, and by what no Java thread did (GC, JIT). */
    record Usage(Map<Group, Double> coresByGroup, double processCores, double jvmInternalCores) {

        static Usage between(Snapshot start, Snapshot end) {
            double wall = Math.max(1, end.wallNanos() - start.wallNanos());
            Map<Group, Double> cores = new EnumMap<>(Group.class);
            for (Group g : Group.values()) {
                cores.put(g, 0.0);
            }
            double threads = 0;
            for (Map.Entry<Long, Long> e : end.cpuByThread().entrySet()) {
                long delta = e.getValue() - start.cpuByThread().getOrDefault(e.getKey(), 0L);
                cores.merge(end.groupByThread().get(e.getKey()), delta / wall, Double::sum);
                threads += delta / wall;
            }
            double process = (end.processCpuNanos() - start.processCpuNanos()) / wall;
            return new Usage(cores, process, Math.max(0, process - threads));
        }
    }

    static {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
    }

    private ThreadGroups() {
    }
}
