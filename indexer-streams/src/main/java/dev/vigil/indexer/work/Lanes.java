package dev.vigil.indexer.work;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded worker pool for one kind of heavy work (speech recognition, frame analysis), off the
 * Kafka Streams threads. A job runs on the lane of its key (the rtstream id), so one stream's jobs
 * run in order (motion models and utterances need that) while different streams spread over the
 * lanes. A full lane refuses new jobs at once: the caller drops the media and counts it
 * (freshness over completeness), and a Streams thread never waits for an engine.
 *
 * <p>{@link #direct(String)} runs jobs in the caller's thread, for TopologyTestDriver tests.
 */
public final class Lanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lanes.class);

    private final String name;
    private final List<ThreadPoolExecutor> lanes = new ArrayList<>();

    private Lanes(String name, int count, int queue) {
        this.name = name;
        for (int i = 0; i < count; i++) {
            String threadName = "vigil-indexer-" + name + "-" + i;
            ThreadPoolExecutor lane = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(queue), r -> {
                        Thread t = new Thread(r, threadName);
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
            lanes.add(lane);
        }
    }

    /** {@code count} single-thread lanes, each holding at most {@code queue} waiting jobs. */
    public static Lanes threads(String name, int count, int queue) {
        return new Lanes(name, count, queue);
    }

    /** Lanes that run each job at once in the submitting thread (deterministic tests). */
    public static Lanes direct(String name) {
        return new Lanes(name, 0, 1);
    }

    /** Runs {@code job} on the lane of {@code key}; false when that lane is full (the job is dropped). */
    public boolean submit(String key, Runnable job) {
        if (lanes.isEmpty()) {
            job.run();
            return true;
        }
        ThreadPoolExecutor lane = lanes.get(Math.floorMod(key.hashCode(), lanes.size()));
        try {
            lane.execute(() -> {
                try {
                    job.run();
                } catch (RuntimeException e) {
                    log.error("Job on {} lane failed", name, e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Jobs waiting or running over all lanes. */
    public int backlog() {
        return lanes.stream().mapToInt(l -> l.getQueue().size() + l.getActiveCount()).sum();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        lanes.forEach(ThreadPoolExecutor::shutdownNow);
        for (ThreadPoolExecutor lane : lanes) {
            try {
                if (!lane.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("A {} lane did not stop within 5 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
