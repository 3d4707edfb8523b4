package dev.vigil.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassificationTest {

    @ParameterizedTest
    @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504, 599})
    void transientStatusesAreRetried(int status) {
        assertThat(Dispatcher.isRetryable(status)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 400, 401, 403, 404, 405, 409, 413, 415, 422})
    void refusalsAreNot(int status) {
        assertThat(Dispatcher.isRetryable(status)).isFalse();
    }

    @Test
    void goneIsHandledApartFromRetries() {
        assertThat(Dispatcher.isRetryable(410)).isFalse();
    }
}
