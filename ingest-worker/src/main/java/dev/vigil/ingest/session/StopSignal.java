package dev.vigil.ingest.session;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A stream's stop request: a flag read between reads, and the wake-up of its pacing and back-off sleeps. */
final class StopSignal {

    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile boolean stopped;

    void stop() {
        stopped = true;
        latch.countDown();
    }

    boolean isStopped() {
        return stopped;
    }

    /** Sleeps up to {@code nanos}; true when stopped meanwhile (an interrupt counts as a stop). */
    boolean await(long nanos) {
        try {
            return latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return true;
        }
    }
}
