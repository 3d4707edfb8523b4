package dev.vigil.models;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code vigil_model_calls_total{task,model}} (requests sent), {@code vigil_model_failures_total{task,reason}}
 * (calls that gave no answer, budget refusals included) and {@code vigil_model_latency_seconds{task}}
 * (answered calls, retries included).
 */
public final class ModelMetrics {

    private final MeterRegistry registry;

    public ModelMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void called(ModelTask task, String model) {
        Counter.builder("vigil_model_calls_total").description("Model calls sent to the model server")
                .tag("task", task.tag()).tag("model", model).register(registry).increment();
    }

    void failed(ModelTask task, FailureKind kind) {
        Counter.builder("vigil_model_failures_total").description("Model calls that gave no answer, by reason")
                .tag("task", task.tag()).tag("reason", kind.tag()).register(registry).increment();
    }

    void answered(ModelTask task, Duration latency) {
        Timer.builder("vigil_model_latency").description("Latency of answered model calls")
                .tag("task", task.tag()).register(registry).record(latency);
    }

    /** Failures of {@code kind} so far, for tests and health checks. */
    public double failures(ModelTask task, FailureKind kind) {
        Counter c = registry.find("vigil_model_failures_total").tag("task", task.tag()).tag("reason", kind.tag()).counter();
        return c == null ? 0 : c.count();
    }

    /** Requests sent so far for {@code task}. */
    public double calls(ModelTask task) {
        return registry.find("vigil_model_calls_total").tag("task", task.tag()).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
