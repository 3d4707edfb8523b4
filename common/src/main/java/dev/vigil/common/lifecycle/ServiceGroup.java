package dev.vigil.common.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in dependency order and stops them in reverse, one log line each. When a start
 * fails, the services already started are stopped before the failure is rethrown, so a failed
 * start-up leaves no threads behind. It is also the process's registry of component health: its
 * {@link #readiness()} and {@link #liveness()} are what {@code /ready} and {@code /healthy} answer
 * (a service reports the health of its own parts, e.g. its supervised readers).
 */
public final class ServiceGroup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);

    private final String name;
    private final Deque<Service> started = new ArrayDeque<>();
    /**
     * Read by /ready and /healthy on an event loop without this group's lock: a probe arriving while
     * {@link #start} waits for an HTTP server to listen (which needs that event loop) must not wait for
     * the start, or neither ever finishes (seen with a container's health check polling from the first second).
     */
    private final List<Service> all = new CopyOnWriteArrayList<>();
    private Thread shutdownHook;

    public ServiceGroup(String name) {
        this.name = name;
    }

    /** Starts {@code service} now (after those started before it) and keeps it for the stop. */
    public synchronized <S extends Service> S start(S service) throws Exception {
        long begin = System.nanoTime();
        try {
            service.start();
        } catch (Exception | Error e) {
            log.error("{}: {} failed to start", name, service.name(), e);
            service.close();
            close();
            throw e;
        }
        started.push(service);
        all.add(service);
        log.info("{}: started {} in {} ms", name, service.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return service;
    }

    /** Whether every started service is ready. */
    public boolean isReady() {
        return !all.isEmpty() && all.stream().allMatch(Service::isReady);
    }

    /** Readiness of each service by name, for {@code /ready}; never waits for a start in progress. */
    public Map<String, Boolean> readiness() {
        return all.stream().collect(Collectors.toMap(Service::name, Service::isReady, (a, b) -> a && b,
                java.util.LinkedHashMap::new));
    }

    /** Liveness of each service by name, for {@code /healthy}: false once a part is beyond repair; never waits. */
    public Map<String, Boolean> liveness() {
        return all.stream().collect(Collectors.toMap(Service::name, Service::isAlive, (a, b) -> a && b,
                java.util.LinkedHashMap::new));
    }

    /** A readiness probe over this group. */
    public BooleanSupplier readinessCheck() {
        return this::isReady;
    }

    /** Stops the services in reverse start order on JVM shutdown (Ctrl-C, SIGTERM). */
    public synchronized void stopOnShutdown() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::close, "vigil-" + name + "-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Stops every started service in reverse order. Idempotent. */
    @Override
    public void close() {
        Service service;
        while ((service = pop()) != null) {
            long begin = System.nanoTime();
            try {
                service.close();
                log.info("{}: stopped {} in {} ms", name, service.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            } catch (RuntimeException e) {
                log.warn("{}: {} did not stop cleanly", name, service.name(), e);
            }
        }
    }

    private synchronized Service pop() {
        return started.poll();
    }
}
