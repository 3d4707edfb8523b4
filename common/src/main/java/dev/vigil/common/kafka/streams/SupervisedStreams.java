package dev.vigil.common.kafka.streams;

import dev.vigil.common.supervision.LoopMeters;
import dev.vigil.common.supervision.RestartBudget;
import dev.vigil.common.supervision.RestartPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every Vigil Kafka Streams application shares (see {@code DESIGN.md} in
 * {@code dev.vigil.common.kafka.reader}):
 * <ul>
 *   <li>{@link #start(Duration)} starts the application and returns once it is {@code RUNNING}, or
 *       throws when it ends in error or does not get there in time;</li>
 *   <li>a stream thread that dies is replaced after an exponential back-off, within a
 *       {@link RestartPolicy restart budget}; past it the client shuts down and {@link #isAlive()}
 *       turns false ({@code /healthy} answers 503);</li>
 *   <li>{@link #isReady()}: once {@code RUNNING}, ready while {@code RUNNING} or {@code REBALANCING}
 *       (a rebalance is routine and short; the stores stay queryable or say so themselves).</li>
 * </ul>
 * Meters (when {@link #bindTo bound}): {@code vigil.loop.failures}, {@code vigil.loop.restarts} and
 * {@code vigil.loop.dead} tagged {@code loop=<name>}, as for the topic readers.
 */
public final class SupervisedStreams {

    private static final Logger log = LoggerFactory.getLogger(SupervisedStreams.class);

    private final String name;
    private final KafkaStreams streams;
    private final RestartBudget budget;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong replaced = new AtomicLong();
    private volatile boolean dead;

    /** Installs the state listener and the uncaught-exception handler on {@code streams} (not started yet). */
    public SupervisedStreams(String name, KafkaStreams streams, RestartPolicy policy) {
        this.name = name;
        this.streams = streams;
        this.budget = new RestartBudget(policy);
        streams.setStateListener(this::onState);
        streams.setUncaughtExceptionHandler(this::onThreadFailure);
    }

    public SupervisedStreams bindTo(MeterRegistry registry) {
        LoopMeters.bind(registry, name, failures, replaced, () -> !isAlive());
        return this;
    }

    private void onState(KafkaStreams.State now, KafkaStreams.State before) {
        log.info("{} Streams {} -> {}", name, before, now);
        if (now == KafkaStreams.State.RUNNING) {
            running.complete(null);
        } else if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR
                || now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.PENDING_SHUTDOWN) {
            running.completeExceptionally(new IllegalStateException(name + " Streams went to " + now));
        }
    }

    /** On the dying stream thread: replace it after a back-off, or give up past the budget. */
    private StreamThreadExceptionResponse onThreadFailure(Throwable e) {
        failures.incrementAndGet();
        int recent = budget.recordFailure();
        if (recent > budget.policy().maxFailures()) {
            dead = true;
            log.error("{}: stream thread failed {} time(s) within {} (budget {}); shutting the client down, liveness now fails",
                    name, recent, budget.policy().window(), budget.policy().maxFailures(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Duration backoff = budget.backoff(recent);
        log.error("{}: stream thread failed ({} failure(s) within {}); replacing it in {} ms", name, recent,
                budget.policy().window(), backoff.toMillis(), e);
        try {
            // Waiting here delays only this thread's replacement; close() cuts it short.
            if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        replaced.incrementAndGet();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /**
     * Starts the application; returns once it is {@code RUNNING}. Throws {@link IllegalStateException}
     * when it ends in error or is not there within {@code timeout}; the caller closes it.
     */
    public void start(Duration timeout) throws InterruptedException {
        streams.start();
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " Streams not RUNNING within " + timeout + " (state " + streams.state()
                    + "; are the topics there and the brokers reachable?)", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " Streams failed to start", e.getCause());
        }
    }

    /** Ready: has been {@code RUNNING}, and is {@code RUNNING} or {@code REBALANCING} now. */
    public boolean isReady() {
        KafkaStreams.State state = streams.state();
        return running.isDone() && !running.isCompletedExceptionally() && !dead
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    }

    /** False once the replacement budget is spent or the application is in error. */
    public boolean isAlive() {
        KafkaStreams.State state = streams.state();
        return !dead && state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public long failures() {
        return failures.get();
    }

    public long replacedThreads() {
        return replaced.get();
    }

    /** Cuts short a back-off in progress; call before closing the application. */
    public void stopping() {
        closing.countDown();
    }
}
