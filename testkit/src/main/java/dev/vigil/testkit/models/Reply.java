package dev.vigil.testkit.models;

import java.time.Duration;
import java.util.List;

/**
 * What {@link FakeModelServer} answers to one request for a model. The answers follow OpenAI's wire
 * format, errors included ({@code {"error": {"message", "type", "param", "code"}}}).
 */
public sealed interface Reply {

    /** A chat completion whose assistant message is {@code content} (for structured output: the JSON text). */
    static Reply content(String content) {
        return new Content(content);
    }

    /**
     * A transcription of {@code text}: {@code verbose_json} (with a word list, 0.3 s a word, when the request
     * asked for word timestamps) or {@code json}, as the request's {@code response_format} says.
     */
    static Reply transcript(String text) {
        return new Transcript(text);
    }

    /** 429 with {@code Retry-After: seconds} and OpenAI's rate-limit error body. */
    static Reply rateLimited(int retryAfterSeconds) {
        return new RateLimited(retryAfterSeconds);
    }

    /** An error status (5xx or 4xx) with OpenAI's error body. */
    static Reply error(int status) {
        return new Error(status);
    }

    /** {@code then}, after {@code delay}. */
    static Reply slow(Duration delay, Reply then) {
        return new Slow(delay, then);
    }

    /**
     * {@code then}, once {@code release} completes: holds the answer for as long as a test needs (e.g. until
     * it has seen what a faster request caused), without a timed wait.
     */
    static Reply heldUntil(java.util.concurrent.CompletionStage<?> release, Reply then) {
        return new Held(release, then);
    }

    /** 200 with a body that is not the wire format. */
    static Reply malformed() {
        return new Malformed("{\"choices\": \"not a list\", \"text\": 42");
    }

    record Content(String content) implements Reply {
    }

    record Transcript(String text) implements Reply {
        List<String> words() {
            return List.of(text.trim().split("\\s+"));
        }
    }

    record RateLimited(int retryAfterSeconds) implements Reply {
    }

    record Error(int status) implements Reply {
    }

    record Slow(Duration delay, Reply then) implements Reply {
    }

    record Held(java.util.concurrent.CompletionStage<?> release, Reply then) implements Reply {
    }

    record Malformed(String body) implements Reply {
    }
}
