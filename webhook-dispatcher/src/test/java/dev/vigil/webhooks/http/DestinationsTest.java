package dev.vigil.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(Destinations d, String url) throws Exception {
        return vertx.<Throwable>executeBlocking(() -> null).compose(v -> d.resolve(URI.create(url)))
                .map(dest -> (Throwable) null).recover(e -> io.vertx.core.Future.succeededFuture(e))
                .await(10, TimeUnit.SECONDS);
    }

    @Test
    void aHostThatNowResolvesToAPrivateAddressIsRefused() throws Exception {
        // DNS rebinding: the name looked public when the alert was created, now it points inside.
        Destinations d = new Destinations(vertx, false, host -> List.of(InetAddress.getByName("10.0.0.7")), Duration.ofSeconds(30));
        assertThat(failure(d, "https://hooks.example.com/x"))
                .isInstanceOf(Destinations.RefusedException.class)
                .hasMessageContaining("10.0.0.7").hasMessageContaining("private");
        assertThat(failure(d, "http://127.0.0.1:8080/x")).isInstanceOf(Destinations.RefusedException.class);
    }

    @Test
    void connectsToTheCheckedAddressAndCachesIt() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        Destinations d = new Destinations(vertx, false, host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByName("93.184.215.14"));
        }, Duration.ofSeconds(30));
        Destination first = d.resolve(URI.create("https://hooks.example.com/a/b?c=d")).await(10, TimeUnit.SECONDS);
        Destination second = d.resolve(URI.create("https://hooks.example.com/other")).await(10, TimeUnit.SECONDS);

        assertThat(first.address().getHostAddress()).isEqualTo("93.184.215.14");
        assertThat(first.host()).isEqualTo("hooks.example.com");
        assertThat(first.port()).isEqualTo(443);
        assertThat(first.ssl()).isTrue();
        assertThat(first.requestUri()).isEqualTo("/a/b?c=d");
        assertThat(second.requestUri()).isEqualTo("/other");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void anUnresolvableHostIsTransientAndNotCached() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        Destinations d = new Destinations(vertx, false, host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host);
        }, Duration.ofSeconds(30));
        assertThat(failure(d, "https://nowhere.example/x")).isInstanceOf(Destinations.UnresolvableException.class);
        assertThat(failure(d, "https://nowhere.example/x")).isInstanceOf(Destinations.UnresolvableException.class);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void privateAddressesPassWhenAllowed() throws Exception {
        Destinations d = new Destinations(vertx, true, host -> List.of(InetAddress.getByName("127.0.0.1")), Duration.ofSeconds(30));
        Destination dest = d.resolve(URI.create("http://127.0.0.1:9/x")).await(10, TimeUnit.SECONDS);
        assertThat(dest.address().isLoopbackAddress()).isTrue();
        assertThat(dest.port()).isEqualTo(9);
        assertThat(dest.ssl()).isFalse();
    }
}
