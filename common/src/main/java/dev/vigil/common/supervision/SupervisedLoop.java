package dev.vigil.common.supervision;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Body} on one named thread and keeps it running: when an iteration throws, the
 * failure is logged with its cause and counted, what the body opened is released, and after an
 * exponential back-off the body is opened again and the loop goes on. Past the
 * {@link RestartPolicy restart budget} (or on a {@link VirtualMachineError}) the loop is
 * {@link State#DEAD}: {@link #isAlive()} turns false, which {@code /healthy} reports. See
 * {@code DESIGN.md} in {@code dev.vigil.common.kafka.reader} for the rules.
 *
 * <p>Meters (when {@link #bindTo bound}): {@code vigil.loop.failures} and {@code vigil.loop.restarts}
 * (counters) and {@code vigil.loop.dead} (1 when dead), each tagged {@code loop=<name>}.
 */
public final class SupervisedLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SupervisedLoop.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** Where the loop is in its life. */
    public enum State { NEW, RUNNING, RESTARTING, DEAD, STOPPED }

    /** What the loop does. Every method but {@link #wakeup()} runs on the loop thread (or, for the first {@link #open()}, the starter's). */
    public interface Body {
        /** Creates (or, after a failure, re-creates) what the iterations use: clients, positions. */
        void open() throws Exception;

        /** One iteration: typically one poll and what follows from it. */
        void runOnce() throws Exception;

        /** After a failure: releases what {@link #open()} made without finishing anything. Must not throw. */
        void abandon();

        /**
         * On an orderly stop: finishes (drain, commit) and releases what {@link #open()} made — or, when
         * the stop came during a back-off, whatever is left (nothing is open then). Must not throw.
         */
        void finish();

        /** Any thread: makes a blocked {@link #runOnce()} return soon (e.g. {@code consumer.wakeup()}). */
        void wakeup();

        /** The loop gave up for good on {@code cause}. */
        default void died(Throwable cause) {
        }
    }

    private final String name;
    private final String threadName;
    private final Body body;
    private final RestartBudget budget;
    private final boolean daemon;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile State state = State.NEW;
    private volatile Throwable lastFailure;
    private volatile boolean closing;
    private Thread thread;

    /**
     * @param name       for logs and meters, e.g. {@code control-view}
     * @param threadName the loop thread's name, e.g. {@code vigil-control-view}
     * @param daemon     whether the thread may be abandoned at JVM exit (readers) or not (a loop that commits)
     */
    public SupervisedLoop(String name, String threadName, Body body, RestartBudget budget, boolean daemon) {
        this.name = name;
        this.threadName = threadName;
        this.body = body;
        this.budget = budget;
        this.daemon = daemon;
    }

    /** Registers this loop's meters on {@code registry}. */
    public SupervisedLoop bindTo(MeterRegistry registry) {
        LoopMeters.bind(registry, name, failures, restarts, () -> state == State.DEAD);
        return this;
    }

    /**
     * Opens the body on the calling thread (its failure is thrown here, nothing is started) and
     * starts the loop thread.
     */
    public synchronized void start() throws Exception {
        if (state != State.NEW) {
            throw new IllegalStateException(name + " already started");
        }
        body.open();
        state = State.RUNNING;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(daemon);
        thread.start();
    }

    private void run() {
        try {
            while (!closing) {
                try {
                    body.runOnce();
                } catch (Throwable e) {
                    if (closing) {
                        break; // close() woke the body up
                    }
                    if (!recover(e)) {
                        if (state == State.DEAD) {
                            return;
                        }
                        break; // closed during the back-off: finish what is left (nothing open)
                    }
                }
            }
            body.finish();
            state = State.STOPPED;
        } catch (Throwable e) {
            log.error("{} did not stop cleanly", name, e);
            state = State.STOPPED;
        }
    }

    /** Restarts the body after {@code first}; false when the loop is dead or closed meanwhile. */
    private boolean recover(Throwable first) {
        Throwable e = first;
        while (true) {
            lastFailure = e;
            failures.incrementAndGet();
            int recent = budget.recordFailure();
            if (e instanceof VirtualMachineError || recent > budget.policy().maxFailures()) {
                log.error("{} is dead: {} failure(s) within {} (budget {}); liveness now fails", name, recent,
                        budget.policy().window(), budget.policy().maxFailures(), e);
                body.abandon();
                state = State.DEAD;
                body.died(e);
                return false;
            }
            Duration backoff = budget.backoff(recent);
            log.error("{} failed ({} failure(s) within {}); restarting in {} ms", name, recent, budget.policy().window(),
                    backoff.toMillis(), e);
            body.abandon();
            state = State.RESTARTING;
            if (waitOrStop(backoff)) {
                return false;
            }
            try {
                body.open();
                restarts.incrementAndGet();
                state = State.RUNNING;
                log.info("{} restarted", name);
                return true;
            } catch (Throwable again) {
                if (closing) {
                    body.abandon();
                    return false;
                }
                e = again;
            }
        }
    }

    /** Waits {@code backoff}; true when close() came first. */
    private boolean waitOrStop(Duration backoff) {
        try {
            return stopping.await(backoff.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    public String name() {
        return name;
    }

    public State state() {
        return state;
    }

    /** Whether the loop runs (not starting, restarting, dead or stopped). */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** False once the loop is dead: its restart budget is spent. */
    public boolean isAlive() {
        return state != State.DEAD;
    }

    /** The last failure, or null. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    public long failures() {
        return failures.get();
    }

    public long restarts() {
        return restarts.get();
    }

    /** The loop thread, or null before start. */
    synchronized Thread thread() {
        return thread;
    }

    /** Stops the loop (the body finishes on its thread) and joins it. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closing = true;
            t = thread;
            if (state == State.NEW) {
                state = State.STOPPED;
            }
        }
        stopping.countDown();
        if (t == null) {
            return;
        }
        body.wakeup();
        try {
            t.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("{} did not stop within {}", name, JOIN_TIMEOUT);
        }
    }

    /** Whether the loop thread has ended (or never started). */
    public synchronized boolean isStopped() {
        return thread == null ? state != State.NEW : !thread.isAlive();
    }
}
