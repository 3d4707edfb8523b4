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
 * thread over one odd record, and Kafka Streams would hand the same record to the replacement thread.
 *
 * <p>Every evaluation runs within an {@link EvaluationBudget} (steps, intermediate string and list
 * sizes). An {@link Error} during evaluation (a stack overflow, an out-of-memory the budget did not
 * prevent) is contained the same way and, in addition, <em>quarantines</em> the condition: it never
 * evaluates again in this process (each skipped evaluation is counted as an error), since a condition
 * that exhausted the JVM once would do it on the next record too. It is logged at ERROR once.
 */
public final class Condition {

    private static final Logger log = LoggerFactory.getLogger(Condition.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String expression;
    private final CelRuntime.Program program;
    private final EvaluationErrorListener errorListener;
    private final LongAdder errors = new LongAdder();
    private final AtomicLong nextWarnAt = new AtomicLong(System.nanoTime());
    private volatile Throwable quarantinedBy;

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
        Throwable quarantine = quarantinedBy;
        if (quarantine != null) {
            errors.increment();
            return false;
        }
        Object result;
        try {
            result = program.trace(record.resolver(), new EvaluationBudget());
        } catch (CelEvaluationException | RuntimeException e) {
            onError(record, budgetExceeded(e));
            return false;
        } catch (Error e) {
            // Contained on purpose (see the class comment): rethrowing would kill the stream thread
            // and replay the same record on its replacement, taking the router down for every tenant.
            quarantinedBy = e;
            log.error("Condition [{}] raised {} on a {} record of stream {}; it is disabled in this process",
                    expression, e, NormalisedRecord.wireName(record.channel()), record.value(RecordVariable.RTSTREAM_ID));
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

    /** True once an {@link Error} during evaluation has disabled this condition. */
    public boolean quarantined() {
        return quarantinedBy != null;
    }

    /** Evaluation errors since this condition was compiled. */
    public long evaluationErrors() {
        return errors.sum();
    }

    @Override
    public String toString() {
        return expression;
    }

    /** The budget's own exception when it stopped the evaluation (CEL may wrap what a listener throws). */
    private static Throwable budgetExceeded(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EvaluationBudgetExceeded) {
                return t;
            }
        }
        return e;
    }

    private void onError(NormalisedRecord record, Throwable e) {
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
