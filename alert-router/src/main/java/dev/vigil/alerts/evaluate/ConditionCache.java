package dev.vigil.alerts.evaluate;

import dev.vigil.alerts.metrics.RouterMetrics;
import dev.vigil.rules.RuleException;
import dev.vigil.rules.cel.Condition;
import dev.vigil.rules.cel.ConditionCompiler;
import dev.vigil.schemas.control.EventRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled condition of an event, through the rules module's {@link ConditionCompiler} and its
 * cache (compiling costs about a millisecond, evaluating about a microsecond).
 *
 * <p>control-api only stores conditions that compile, but a condition written by another version
 * or another tool may not: such a condition is logged once at WARN, remembered as refused (so a bad
 * event does not cost a compilation on every record) and counted as an {@code invalid_condition}
 * evaluation error each time an alert skips it. Thread-safe; shared by all stream threads.
 */
public final class ConditionCache {

    private static final Logger log = LoggerFactory.getLogger(ConditionCache.class);
    /** Refused conditions remembered; beyond this the memory is cleared and refilled. */
    private static final int MAX_REFUSED = 1_000;

    private final ConditionCompiler compiler;
    private final RouterMetrics metrics;
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public ConditionCache(ConditionCompiler compiler, RouterMetrics metrics) {
        this.compiler = compiler;
        this.metrics = metrics;
    }

    /** The event's compiled condition, or null when it does not compile. */
    public Condition condition(EventRule event) {
        String expression = event.getCondition() == null ? "" : event.getCondition();
        if (refused.containsKey(expression)) {
            metrics.evaluationError("invalid_condition");
            return null;
        }
        try {
            return compiler.compile(expression);
        } catch (RuleException e) {
            if (refused.size() >= MAX_REFUSED) {
                refused.clear();
            }
            refused.put(expression, e.getMessage());
            metrics.evaluationError("invalid_condition");
            log.warn("Event {} has a condition that does not compile; its alerts cannot fire until it is fixed: {}",
                    event.getId(), e.getMessage());
            return null;
        }
    }
}
