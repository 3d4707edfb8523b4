package dev.vigil.webhooks.http;

import dev.vigil.common.net.CallbackUrlException;
import dev.vigil.common.net.CallbackUrlPolicy;
import dev.vigil.common.net.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSRF guard at connect time (webhooks/DESIGN.md): resolves a callback host and checks every address
 * with {@link CallbackUrlPolicy#checkResolved} on a worker thread (DNS blocks), never on the event
 * loop; the attempt then connects to the checked address ({@link Destination}). A host may resolve
 * differently now than when the alert was created (DNS rebinding), hence the check before connects.
 *
 * <p>Results — addresses or refusals — are cached per host for the configured TTL, so a busy
 * endpoint costs one lookup per TTL. A host that does not resolve is not cached: DNS trouble is
 * transient and retried with the delivery.
 *
 * <p>Not thread-safe: used on the dispatcher's event loop only.
 */
public final class Destinations {

    private static final Logger log = LoggerFactory.getLogger(Destinations.class);

    private final Vertx vertx;
    private final boolean allowPrivate;
    private final HostResolver resolver;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new HashMap<>();

    /** The callback URL is refused for good (private address, bad URL): dead-letter, don't retry. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The host does not resolve now: retry later. */
    public static final class UnresolvableException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnresolvableException(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry(Future<List<InetAddress>> addresses, long expiresAt) {
    }

    public Destinations(Vertx vertx, boolean allowPrivate, HostResolver resolver, Duration ttl) {
        this.vertx = vertx;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * The checked destination of {@code uri} (already syntax-checked). Fails with
     * {@link RefusedException} or {@link UnresolvableException}.
     */
    public Future<Destination> resolve(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        long now = System.nanoTime();
        Entry entry = cache.get(host);
        if (entry == null || now - entry.expiresAt() > 0) {
            Future<List<InetAddress>> lookup = vertx.executeBlocking(() -> check(uri), false);
            entry = new Entry(lookup, now + ttlNanos);
            cache.put(host, entry);
            Entry mine = entry;
            lookup.onFailure(e -> {
                if (e instanceof UnresolvableException && cache.get(host) == mine) {
                    cache.remove(host);
                }
            });
        }
        return entry.addresses().map(addresses -> new Destination(uri, addresses.get(0)));
    }

    /** Blocking: resolve, then check every address. */
    private List<InetAddress> check(URI uri) throws RefusedException, UnresolvableException {
        String host = uri.getHost();
        List<InetAddress> resolved;
        try {
            resolved = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new UnresolvableException("callback host '" + host + "' does not resolve");
        }
        if (resolved == null || resolved.isEmpty()) {
            throw new UnresolvableException("callback host '" + host + "' does not resolve");
        }
        List<InetAddress> fixed = List.copyOf(resolved);
        try {
            // The policy checks exactly the addresses we will connect to (no second lookup).
            List<InetAddress> checked = new CallbackUrlPolicy(allowPrivate, h -> fixed).checkResolved(uri);
            log.debug("Callback host {} checked: {}", host, checked);
            return checked;
        } catch (CallbackUrlException e) {
            throw new RefusedException("refused by the SSRF guard: " + e.getMessage());
        }
    }

    /** Drops expired entries. */
    public void evictExpired() {
        long now = System.nanoTime();
        for (Iterator<Entry> it = cache.values().iterator(); it.hasNext(); ) {
            if (now - it.next().expiresAt() > 0) {
                it.remove();
            }
        }
    }
}
