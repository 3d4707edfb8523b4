package dev.vigil.api.deliveries;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * Bounds of the in-memory delivery log ({@link DeliveryLog}): how many notifications it keeps per
 * alert and in all. Every instance holds the whole log, so these bound each instance's memory.
 *
 * @param perAlert      newest notifications kept per alert (older ones are forgotten first)
 * @param maxDeliveries notifications kept in all; beyond it the least recently updated go
 * @param history       how far back the log is rebuilt from the topics at start
 */
public record DeliveryLogConfig(int perAlert, int maxDeliveries, Duration history) {

    public static final Setting<Integer> PER_ALERT = Settings.integer("VIGIL_API_DELIVERIES_PER_ALERT", 1_000, 10, 100_000,
            "Webhook deliveries (notifications with their attempts) the delivery log keeps per alert, newest first.");
    public static final Setting<Integer> MAX = Settings.integer("VIGIL_API_DELIVERIES_MAX", 50_000, 100, 10_000_000,
            "Webhook deliveries the delivery log keeps in all (about 2 KB each with a short notification text); beyond it the least recently "
                    + "updated are forgotten.");

    public static final Setting<Duration> HISTORY = Settings.duration("VIGIL_API_DELIVERIES_HISTORY", Duration.ofDays(7),
            "How far back the delivery log is rebuilt from the webhook topics at start (their retention, 28 days by "
                    + "default, bounds it too); older deliveries are not listed after a restart.")
            .check(d -> d.toMinutes() >= 1, "at least 1m");

    public static final List<Setting<?>> SETTINGS = List.of(PER_ALERT, MAX, HISTORY);

    public static DeliveryLogConfig from(ConfigValues values) {
        return new DeliveryLogConfig(values.get(PER_ALERT), values.get(MAX), values.get(HISTORY));
    }
}
