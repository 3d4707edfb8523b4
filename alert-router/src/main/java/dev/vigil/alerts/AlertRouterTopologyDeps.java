package dev.vigil.alerts;

import dev.vigil.common.playback.ClipLinks;
import dev.vigil.alerts.metrics.RouterMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link AlertRouterTopology#build} needs, passed in so the topology never reads the
 * environment and tests can pin it.
 *
 * @param topicPrefix     prefix of every topic name, e.g. {@code vigil.}
 * @param clock           the firing time written in each notification's {@code timestamp} (the
 *                        cooldown runs on record time, not on this clock)
 * @param defaultCooldown cooldown of an alert whose {@code cooldown_s} is negative
 * @param metrics         where the topology counts what it does
 * @param judging         whether a judge worker runs (a text model is configured): records of indexes with
 *                        judged alerts then go to {@code vigil.alerts.judge}; otherwise judged alerts are
 *                        skipped and counted
 * @param clips           the clip links notifications of recorded streams carry; null for none
 */
public record AlertRouterTopologyDeps(String topicPrefix, Clock clock, Duration defaultCooldown, RouterMetrics metrics,
        boolean judging, ClipLinks clips) {

    /** Without a judge. */
    public AlertRouterTopologyDeps(String topicPrefix, Clock clock, Duration defaultCooldown, RouterMetrics metrics) {
        this(topicPrefix, clock, defaultCooldown, metrics, false, null);
    }

    /** Without clip links. */
    public AlertRouterTopologyDeps(String topicPrefix, Clock clock, Duration defaultCooldown, RouterMetrics metrics,
            boolean judging) {
        this(topicPrefix, clock, defaultCooldown, metrics, judging, null);
    }

    public AlertRouterTopologyDeps {
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(defaultCooldown, "defaultCooldown");
        Objects.requireNonNull(metrics, "metrics");
        if (defaultCooldown.isNegative()) {
            throw new IllegalArgumentException("defaultCooldown must not be negative");
        }
    }
}
