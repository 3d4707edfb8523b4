package dev.vigil.rules.cel;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.rules.record.RecordVariable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled, type-checked condition, ready to test records. Obtained from
 * {@link ConditionCompiler#compile(String)}.
 *
 * <p>Thread-safe: the CEL program is immutable and the counters are concurrent, so one instance
 * serves every Kafka Streams thread. {@link #matches} never throws: an evaluation error (division by
 * zero, a zone the record lacks, a key missing from a map) makes the record not match, is counted
 * in {@link #evaluationErrors()}, is logged at WARN at most once a minute per condition (DEBUG
 * otherwise), and is passed to the {@link EvaluationErrorListener}. Throwing would kill the stream
 * thread over one odd record.
 */
public final class Condition {

    private static final Logger log = LoggerFactory.getLogger(Condition.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String expression;
    private final CelRuntime.Program program;
    private final EvaluationErrorListener errorListener;
    private final LongAdder errors = new LongAdder();
    private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());

    Condition(String expression, CelRuntime.Program program, EvaluationErrorListener errorListener) {
        this.expression = expression;
        this.program = program;
        this.errorListener = errorListener;
    }

    /** The CEL text this condition was compiled from. */
    public String expression() {
        return expression;
    }

    /** True when the condition holds for {@code record}; false when it does not or cannot be evaluated. */
    public boolean matches(NormalisedRecord record) {
        Object result;
        try {
            result = program.eval(record.resolver());
        } catch (CelEvaluationException | RuntimeException e) {
            onError(record, e);
            return false;
        }
        if (result instanceof Boolean b) {
            return b;
        }
        // Only a dyn-typed sub-expression can get here, since compile() insists on a bool result type.
        onError(record, new CelEvaluationException("condition returned " + result + " instead of a bool"));
        return false;
    }

    /** Evaluation errors since this condition was compiled. */
    public long evaluationErrors() {
        return errors.sum();
    }

    @Override
    public String toString() {
        return expression;
    }

    private void onError(NormalisedRecord record, Exception e) {
        errors.increment();
        long now = System.nanoTime();
        long due = nextWarnAt.get();
        if (now - due >= 0 && nextWarnAt.compareAndSet(due, now + WARN_INTERVAL_NANOS)) {
            log.warn("Condition [{}] failed on a {} record of stream {} ({} errors so far; treated as no match): {}",
                    expression, NormalisedRecord.wireName(record.channel()),
                    record.value(RecordVariable.RTSTREAM_ID), errors.sum(), e.getMessage());
        } else {
            log.debug("Condition [{}] failed on {}: {}", expression, record, e.getMessage());
        }
        try {
            errorListener.onEvaluationError(this, record, e);
        } catch (RuntimeException listenerFailure) {
            log.warn("Evaluation error listener failed for condition [{}]", expression, listenerFailure);
        }
    }
}
