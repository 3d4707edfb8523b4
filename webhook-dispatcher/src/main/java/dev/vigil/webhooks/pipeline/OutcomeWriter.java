package dev.vigil.webhooks.pipeline;

import dev.vigil.webhooks.delivery.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link Outcome}'s records ({@link OutcomeRecords}) and reports, once per outcome,
 * whether all of them were acknowledged. An outcome whose writes failed (after the producer's own
 * retries) is written again a second later, as often as needed: its input record stays unsettled
 * meanwhile, so nothing is committed past it.
 *
 * <p>{@link #write}, {@link #retryLater} and {@link #rewriteDue} run on the pipeline thread; the
 * reports come from the producer's I/O thread.
 */
final class OutcomeWriter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    static final Duration REWRITE_BACKOFF = Duration.ofSeconds(1);
    private static final long WARN_INTERVAL_MS = 10_000;

    private final Producer<String, byte[]> producer;
    private final OutcomeRecords records;
    private final Consumer<Outcome> written;
    private final BiConsumer<Outcome, Exception> failed;
    private final PriorityQueue<Rewrite> rewrites = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    private long lastWarning;

    private record Rewrite(long at, Outcome outcome) {
    }

    /**
     * @param written called (on the producer's thread) when all of an outcome's records are acknowledged
     * @param failed  called (on the producer's thread) when any of them failed
     */
    OutcomeWriter(Producer<String, byte[]> producer, OutcomeRecords records, Consumer<Outcome> written,
            BiConsumer<Outcome, Exception> failed) {
        this.producer = producer;
        this.records = records;
        this.written = written;
        this.failed = failed;
    }

    void write(Outcome outcome) {
        List<ProducerRecord<String, byte[]>> batch;
        try {
            batch = records.of(outcome);
        } catch (SerializationException e) {
            // Cannot happen with generated records; never settle what was not written.
            log.error("Cannot serialize the outcome of notification {}; it stays unsettled",
                    outcome.job().notification().getId(), e);
            return;
        }
        Acks acks = new Acks(outcome, batch.size());
        for (ProducerRecord<String, byte[]> record : batch) {
            try {
                producer.send(record, acks);
            } catch (KafkaException e) {
                acks.onCompletion(null, e);
            }
        }
    }

    /** Schedules {@code outcome} to be written again after the back-off. */
    void retryLater(Outcome outcome, Exception error, long now) {
        if (now - lastWarning >= WARN_INTERVAL_MS) {
            lastWarning = now;
            log.warn("Cannot write the outcome of notification {} (writing again every {}): {}",
                    outcome.job().notification().getId(), REWRITE_BACKOFF, error.toString());
        }
        rewrites.add(new Rewrite(now + REWRITE_BACKOFF.toMillis(), outcome));
    }

    /** Writes again the outcomes whose back-off has passed. */
    void rewriteDue(long now) {
        while (!rewrites.isEmpty() && rewrites.peek().at() <= now) {
            write(rewrites.poll().outcome());
        }
    }

    /** When the next rewrite is due (epoch ms), or {@code Long.MAX_VALUE}. */
    long nextRewriteAt() {
        return rewrites.isEmpty() ? Long.MAX_VALUE : rewrites.peek().at();
    }

    /** Counts the acknowledgements of one outcome's records; reports once when all are in. */
    private final class Acks implements Callback {
        private final Outcome outcome;
        private final AtomicInteger remaining;
        private final AtomicReference<Exception> error = new AtomicReference<>();

        Acks(Outcome outcome, int count) {
            this.outcome = outcome;
            this.remaining = new AtomicInteger(count);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                error.compareAndSet(null, exception);
            }
            if (remaining.decrementAndGet() == 0) {
                Exception e = error.get();
                if (e == null) {
                    written.accept(outcome);
                } else {
                    failed.accept(outcome, e);
                }
            }
        }
    }
}
