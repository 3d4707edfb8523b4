package dev.vigil.ingest.session;

import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.publish.StreamMetrics;
import dev.vigil.ingest.source.FfmpegLog;
import dev.vigil.ingest.source.SourceException;
import dev.vigil.ingest.source.StreamSource;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.RtStreamSpec;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one stream on its own thread ({@code vigil-ingest-<rtstream id>}) until stopped: runs one
 * {@link SourceSession} after another, reconnecting with back-off, and reports CONNECTING, CONNECTED,
 * RECONNECTING, ERROR and ENDED on {@code rtstreams.status}.
 *
 * <p>Every wait is bounded so the thread always ends: a session's reads and pacing (see
 * {@link SourceSession}), reconnects by the back-off and the retry limit, back-off sleeps by the stop
 * signal. Local files, and errors no retry can fix, go to ERROR at once; a network source that keeps
 * failing goes to ERROR after {@code maxRetries} consecutive failures. A file ends in ENDED (or
 * loops); a network source that ends is reconnected, unless it is a recording (it has a duration)
 * that was read to its end.
 *
 * <p>{@link #stop()} may be called from any thread; once it returns this stream writes nothing more
 * (its owner writes the final status), and the thread ends within about the I/O timeout.
 */
final class StreamIngest implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StreamIngest.class);

    private final RtStreamSpec spec;
    private final String id;
    private final IngestWorkerConfig config;
    private final IngestContext context;
    private final StreamMetrics metrics;
    private final Backoff backoff;
    private final StopSignal stopSignal = new StopSignal();
    private final Object statusLock = new Object();
    private volatile IngestState state;
    private volatile Thread thread;
    private long reconnects;

    StreamIngest(RtStreamSpec spec, IngestContext context, StreamMetrics metrics) {
        this.spec = spec;
        this.id = spec.getId();
        this.config = context.config();
        this.context = context;
        this.metrics = metrics;
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
    }

    /** A stream that already ended under an earlier owner: no thread, state ENDED. */
    static StreamIngest ended(RtStreamSpec spec, IngestContext context) {
        StreamIngest ingest = new StreamIngest(spec, context, null);
        ingest.state = IngestState.ENDED;
        return ingest;
    }

    /** Starts the stream's thread. */
    void start() {
        Thread t = new Thread(this, "vigil-ingest-" + id);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Asks the thread to stop; after this returns the stream writes no further status. */
    void stop() {
        synchronized (statusLock) {
            stopSignal.stop();
        }
    }

    /** Waits up to {@code timeout} for the thread to end; whether it has. */
    boolean join(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** The last state this stream reported, or null before the first. */
    IngestState state() {
        return state;
    }

    RtStreamSpec spec() {
        return spec;
    }

    @Override
    public void run() {
        try {
            ingest();
        } catch (RuntimeException | Error e) {
            // A bug, not a source problem: the stream says so instead of silently going quiet.
            log.error("Stream {} failed unexpectedly", id, e);
            report(IngestState.ERROR, "internal error: " + e);
        } finally {
            FfmpegLog.clear();
        }
    }

    private void ingest() {
        StreamSource source;
        try {
            source = StreamSource.parse(spec.getUrl(), config.allowFiles(), config.fileRoot(), config.loopFiles());
        } catch (SourceException e) {
            log.info("Stream {}: {}", id, e.getMessage());
            report(IngestState.ERROR, e.publicReason());
            return;
        }
        report(IngestState.CONNECTING, "opening " + source.redactedUrl());
        int failures = 0;
        // End of the previous session's media if it ended cleanly (not by a timeout), else -1.
        long previousCleanEndUs = -1;
        while (!stopSignal.isStopped()) {
            SourceSession session = new SourceSession(spec, context, metrics, source, stopSignal, previousCleanEndUs,
                    description -> report(IngestState.CONNECTED, description));
            SessionOutcome outcome = session.run();
            previousCleanEndUs = session.cleanEndUs();
            switch (outcome.kind()) {
                case STOPPED:
                    return;
                case ENDED:
                    report(IngestState.ENDED, outcome.reason());
                    return;
                default:
                    break;
            }
            if (outcome.permanent()) {
                report(IngestState.ERROR, outcome.reason());
                return;
            }
            failures = outcome.healthy() ? 1 : failures + 1;
            if (config.maxRetries() > 0 && failures > config.maxRetries()) {
                report(IngestState.ERROR, "gave up after " + config.maxRetries()
                        + (config.maxRetries() == 1 ? " retry: " : " retries: ") + outcome.reason());
                return;
            }
            Duration delay = backoff.delay(failures);
            reconnects++;
            metrics.reconnect();
            report(IngestState.RECONNECTING, outcome.reason() + "; retrying in " + seconds(delay));
            if (stopSignal.await(delay.toNanos())) {
                return;
            }
        }
    }

    private void report(IngestState newState, String reason) {
        synchronized (statusLock) {
            if (stopSignal.isStopped()) {
                return;
            }
            state = newState;
            context.status().report(id, spec.getCollectionId(), newState, reason, reconnects);
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
