package dev.vigil.common.supervision;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters every supervised loop shows, tagged {@code loop=<name>}: {@code vigil.loop.failures},
 * {@code vigil.loop.restarts} (counters) and {@code vigil.loop.dead} (1 once the budget is spent).
 */
public final class LoopMeters {

    private LoopMeters() {
    }

    /**
     * {@code failures} and {@code restarts}: the loop's own counters (Micrometer holds function counters
     * weakly, so these must live as long as the loop).
     */
    public static void bind(MeterRegistry registry, String loop, AtomicLong failures, AtomicLong restarts,
            BooleanSupplier dead) {
        FunctionCounter.builder("vigil.loop.failures", failures, AtomicLong::get).tag("loop", loop)
                .description("Failures of a supervised loop (each followed by a restart unless it died)").register(registry);
        FunctionCounter.builder("vigil.loop.restarts", restarts, AtomicLong::get).tag("loop", loop)
                .description("Restarts of a supervised loop after a failure").register(registry);
        Gauge.builder("vigil.loop.dead", dead, d -> d.getAsBoolean() ? 1 : 0).tag("loop", loop).strongReference(true)
                .description("1 when a supervised loop spent its restart budget and stopped for good").register(registry);
    }
}
