package dev.vigil.api.resources;

import dev.vigil.api.http.ApiError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/** Maps Kafka trouble to a 503 the client can retry, instead of a 500. */
final class KafkaFailures {

    private KafkaFailures() {
    }

    static Throwable toApiError(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ApiError) {
            return cause;
        }
        if (cause instanceof TimeoutException || cause instanceof KafkaException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new ApiError(503, "unavailable", "Kafka did not answer in time; retry later");
        }
        return cause;
    }
}
