package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/** Maps Kafka trouble to a 503 the client can retry (with {@code Retry-After}), instead of a 500. */
final class KafkaFailures {

    /** Seconds a client should wait before retrying a write or read Kafka did not answer. */
    static final long RETRY_AFTER_SECONDS = 5;

    private KafkaFailures() {
    }

    static Throwable toApiError(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ApiError) {
            return cause;
        }
        if (cause instanceof TimeoutException || cause instanceof KafkaException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return ApiError.unavailable("Kafka did not answer in time; retry later", RETRY_AFTER_SECONDS);
        }
        return cause;
    }
}
