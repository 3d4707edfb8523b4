package dev.vigil.indexer.work;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * <p>Jobs may carry a deadline (wall clock, epoch ms) after which their result is useless — a frame
 * whose window has been emitted. Such a job is refused at submission when the lane's queue, at the
 * lane's recent pace (a moving average of its job times), would not reach it before the deadline, and is
 * expired instead of run when a lane picks it up too late. A burst that can still be served in time
 * (every stream's first frame of an epoch-aligned window at once) is queued, not dropped; the queue
 * bound is then only a backstop.
 *
 * <p>{@link #direct(String)} runs jobs in the caller's thread, for TopologyTestDriver tests (deadlines
 * are ignored there: tests run on a virtual clock).
 */
public final class Lanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lanes.class);

    /** Weight of the newest job time in a lane's moving average. */
    private static final double PACE_WEIGHT = 0.2;

    private final String name;
    private final List<ThreadPoolExecutor> lanes = new ArrayList<>();
    /** Moving average of each lane's job run time, ns (written by the lane's thread only). */
    private final double[] paceNanos;

    private Lanes(String name, int count, int queue) {
        this.name = name;
        this.paceNanos = new double[count];
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
        return submit(key, Long.MAX_VALUE, job, () -> { });
    }

    /**
     * Runs {@code job} on the lane of {@code key} if it can start before {@code deadlineMs} (epoch ms);
     * false when that lane is full or, at its recent pace, would not reach the job in time (the job is
     * dropped). A job accepted but picked up after its deadline runs {@code expired} instead.
     */
    public boolean submit(String key, long deadlineMs, Runnable job, Runnable expired) {
        if (lanes.isEmpty()) {
            job.run();
            return true;
        }
        int index = Math.floorMod(key.hashCode(), lanes.size());
        ThreadPoolExecutor lane = lanes.get(index);
        if (deadlineMs != Long.MAX_VALUE) {
            long waitMs = (long) ((lane.getQueue().size() + lane.getActiveCount()) * paceNanos[index] / 1_000_000);
            if (System.currentTimeMillis() + waitMs > deadlineMs) {
                return false;
            }
        }
        try {
            lane.execute(() -> run(index, deadlineMs, job, expired));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code job} on every lane once (e.g. a warm-up); completes when all have run. */
    public CompletableFuture<Void> onEveryLane(Runnable job) {
        if (lanes.isEmpty()) {
            job.run();
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ThreadPoolExecutor lane : lanes) {
            all.add(CompletableFuture.runAsync(job, lane));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private void run(int index, long deadlineMs, Runnable job, Runnable expired) {
        try {
            if (System.currentTimeMillis() > deadlineMs) {
                expired.run();
                return;
            }
            long started = System.nanoTime();
            job.run();
            paceNanos[index] += PACE_WEIGHT * ((System.nanoTime() - started) - paceNanos[index]);
        } catch (RuntimeException e) {
            log.error("Job on {} lane failed", name, e);
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
