package dev.vigil.alerts.poison;

/**
 * What is wrong with a record that decoded but cannot be used.
 *
 * @param reason a short tag for the {@code reason} label of the poison metric, e.g. {@code missing_field}
 * @param detail a sentence for the log line
 */
public record Problem(String reason, String detail) {
}
