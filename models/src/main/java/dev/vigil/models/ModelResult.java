package dev.vigil.models;

import java.time.Duration;
import java.util.function.Function;

/**
 * The outcome of one model call: an {@link Answer} or a typed {@link Failure}. Calls never throw for
 * what a model server does (errors, timeouts, garbage, budget); callers turn a failure into the record
 * their offline engine would have written.
 */
public sealed interface ModelResult<T> {

    /** The model that was (or would have been) called. */
    String model();

    /** An answer from {@code model} after {@code latency}. */
    record Answer<T>(T value, String model, Duration latency) implements ModelResult<T> {
    }

    /** No answer: {@code kind} says why, {@code message} adds the detail for the log (never the API key). */
    record Failure<T>(FailureKind kind, String model, String message) implements ModelResult<T> {
    }

    default boolean isAnswer() {
        return this instanceof Answer;
    }

    /** The answer mapped, or the same failure. */
    default <R> ModelResult<R> map(Function<T, R> f) {
        if (this instanceof Answer<T> a) {
            return new Answer<>(f.apply(a.value()), a.model(), a.latency());
        }
        Failure<T> failure = (Failure<T>) this;
        return new Failure<>(failure.kind(), failure.model(), failure.message());
    }
}
