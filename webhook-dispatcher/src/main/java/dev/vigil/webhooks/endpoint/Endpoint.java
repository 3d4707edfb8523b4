package dev.vigil.webhooks.endpoint;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * One webhook endpoint — scheme, host and port — with its own queue, in-flight count and circuit
 * breaker, so a slow or dead endpoint only ever holds up its own notifications.
 *
 * <p>Not thread-safe: owned by the dispatcher's event loop.
 *
 * @param <T> what is queued
 */
public final class Endpoint<T> {

    /** A queued element with the time it was queued (nanoTime), for the queue-wait bound. */
    public record Queued<T>(T item, long since) {
    }

    private final String key;
    private final int concurrency;
    private final CircuitBreaker breaker;
    private final ArrayDeque<Queued<T>> queue = new ArrayDeque<>();
    private int inFlight;
    private long lastUsed;
    private boolean countedOpen;

    public Endpoint(String key, int concurrency, CircuitBreaker breaker) {
        this.key = key;
        this.concurrency = concurrency;
        this.breaker = breaker;
    }

    /** {@code https://example.com:443}: what isolation, concurrency and the breaker are keyed by. */
    public static String keyOf(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    public String key() {
        return key;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Requests that may be in flight now: all when closed, one probe when half-open, none when open. */
    public int capacity(long now) {
        return switch (breaker.state(now)) {
            case CLOSED -> concurrency;
            case HALF_OPEN -> 1;
            case OPEN -> 0;
        };
    }

    /** Whether another request may start now. */
    public boolean canStart(long now) {
        return inFlight < capacity(now);
    }

    public void enqueue(T item, long now) {
        queue.addLast(new Queued<>(item, now));
        lastUsed = now;
    }

    /** The next queued element, or null. */
    public T poll() {
        Queued<T> q = queue.pollFirst();
        return q == null ? null : q.item();
    }

    /** How long the oldest queued element has waited, in nanos; 0 when the queue is empty. */
    public long oldestWait(long now) {
        Queued<T> head = queue.peekFirst();
        return head == null ? 0 : now - head.since();
    }

    public int queued() {
        return queue.size();
    }

    public void started(long now) {
        inFlight++;
        lastUsed = now;
    }

    public void finished(long now) {
        inFlight--;
        lastUsed = now;
    }

    public int inFlight() {
        return inFlight;
    }

    /** Idle: nothing queued or in flight, circuit closed, unused since {@code before}. */
    public boolean idleSince(long before, long now) {
        return queue.isEmpty() && inFlight == 0 && lastUsed < before && breaker.state(now) == CircuitBreaker.State.CLOSED;
    }

    /** Whether this endpoint is currently counted in the open-circuits gauge (maintained by the owner). */
    public boolean countedOpen() {
        return countedOpen;
    }

    public void countedOpen(boolean open) {
        this.countedOpen = open;
    }
}
