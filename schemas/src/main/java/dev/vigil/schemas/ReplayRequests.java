package dev.vigil.schemas;

import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.WebhookDelivery;
import java.time.Instant;

/**
 * The shape of a webhook replay request, shared by whoever asks for one (control-api's replay
 * endpoint) and the webhook dispatcher that carries it out: a {@link WebhookDelivery} of the unchanged
 * notification with {@code attempts = 0} and {@code due_at = now}, written to the first retry tier
 * ({@code vigil.webhooks.retry.5s}) keyed by alert id. The dispatcher treats it as a fresh
 * notification: attempt 1 at once with the same {@code webhook-id}, then the whole retry schedule.
 * Going through the tier rather than {@code vigil.alerts.fired} keeps other consumers of the fired
 * topic (the WebSocket gateway, users' own consumers) from seeing the alert twice.
 */
public final class ReplayRequests {

    /** The topic replay requests go to (value serde {@code TOPIC.valueSerde()}, key: alert id). */
    public static final TopicDef<String, WebhookDelivery> TOPIC = Topics.WEBHOOK_RETRY_TIERS.get(0);

    private ReplayRequests() {
    }

    /** The name of {@link #TOPIC} under {@code topicPrefix}. */
    public static String topic(String topicPrefix) {
        return TOPIC.name(topicPrefix);
    }

    /**
     * The replay request for {@code notification} made at {@code now}.
     *
     * @throws IllegalArgumentException if the notification has no callback URL to deliver to
     */
    public static WebhookDelivery record(AlertNotification notification, Instant now) {
        if (notification.getCallbackUrl() == null || notification.getCallbackUrl().isBlank()) {
            throw new IllegalArgumentException("notification " + notification.getId() + " has no callback_url to replay to");
        }
        return WebhookDelivery.newBuilder()
                .setNotification(notification)
                .setAttempts(0)
                .setFirstAttemptAt(now)
                .setDueAt(now)
                .setLastStatus(null)
                .setLastError(null)
                .build();
    }

    /** Whether {@code delivery} is a replay request rather than a deferred or failed attempt. */
    public static boolean isRequest(WebhookDelivery delivery) {
        // A deferral of a fresh notification also has no attempt, but says why it was deferred.
        return delivery.getAttempts() == 0 && delivery.getLastError() == null;
    }
}
