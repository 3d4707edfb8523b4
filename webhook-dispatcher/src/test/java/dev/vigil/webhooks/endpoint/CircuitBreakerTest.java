package dev.vigil.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30));
        assertThat(breaker.onFailure(0)).isFalse();
        assertThat(breaker.onFailure(0)).isFalse();
        assertThat(breaker.state(0)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.onFailure(0)).isTrue();
        assertThat(breaker.state(1)).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aSuccessResetsTheCount() {
        CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(30));
        breaker.onFailure(0);
        breaker.onSuccess();
        assertThat(breaker.onFailure(0)).isFalse();
        assertThat(breaker.state(0)).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void halfOpenAfterThePeriodThenTheProbeDecides() {
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(30));
        breaker.onFailure(0);
        assertThat(breaker.state(29 * SECOND)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.state(30 * SECOND)).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        assertThat(breaker.onFailure(31 * SECOND)).as("failed probe reopens").isTrue();
        assertThat(breaker.state(60 * SECOND)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.state(61 * SECOND)).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        breaker.onSuccess();
        assertThat(breaker.state(62 * SECOND)).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void endpointCapacityFollowsTheBreaker() {
        Endpoint<String> endpoint = new Endpoint<>("http://a:80", 8, new CircuitBreaker(1, Duration.ofSeconds(1)));
        assertThat(endpoint.capacity(0)).isEqualTo(8);
        endpoint.breaker().onFailure(0);
        assertThat(endpoint.capacity(1)).isZero();
        assertThat(endpoint.capacity(SECOND)).as("one probe when half-open").isEqualTo(1);
        endpoint.started(SECOND);
        assertThat(endpoint.canStart(SECOND)).isFalse();
    }

    @Test
    void endpointsAreKeyedBySchemeHostAndPort() {
        assertThat(Endpoint.keyOf(URI.create("https://Hooks.Example.com/a?b=c"))).isEqualTo("https://hooks.example.com:443");
        assertThat(Endpoint.keyOf(URI.create("http://hooks.example.com/x"))).isEqualTo("http://hooks.example.com:80");
        assertThat(Endpoint.keyOf(URI.create("http://127.0.0.1:8081/x"))).isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void queueWaitIsMeasuredFromTheOldestElement() {
        Endpoint<String> endpoint = new Endpoint<>("k", 1, new CircuitBreaker(1, Duration.ofSeconds(1)));
        assertThat(endpoint.oldestWait(100)).isZero();
        endpoint.enqueue("a", 100);
        endpoint.enqueue("b", 150);
        assertThat(endpoint.oldestWait(300)).isEqualTo(200);
        assertThat(endpoint.poll()).isEqualTo("a");
        assertThat(endpoint.oldestWait(300)).isEqualTo(150);
    }
}
