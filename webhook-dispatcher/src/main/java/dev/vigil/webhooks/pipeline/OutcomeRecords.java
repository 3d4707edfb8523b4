package dev.vigil.webhooks.pipeline;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.webhooks.delivery.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka records an {@link Outcome} is made durable with, all keyed by alert id:
 * the attempt on {@code vigil.webhooks.attempts} (none for a deferral); for a retry, a {@link WebhookDelivery} on the tier
 * topic; for a dead letter, one on {@code vigil.webhooks.dead}; for a 410, the disabled
 * {@link AlertBinding} on {@code vigil.alerts}. Used on the pipeline thread only.
 */
final class OutcomeRecords {

    private final String attemptsTopic;
    private final String deadTopic;
    private final String alertsTopic;
    private final List<String> tierTopics;
    private final Serializer<WebhookDeliveryAttempt> attempts = Topics.WEBHOOK_ATTEMPTS.valueSerde().serializer();
    private final Serializer<WebhookDelivery> deliveries = Topics.WEBHOOK_DEAD.valueSerde().serializer();
    private final Serializer<AlertBinding> alerts = Topics.ALERTS.valueSerde().serializer();

    OutcomeRecords(String prefix) {
        this.attemptsTopic = Topics.WEBHOOK_ATTEMPTS.name(prefix);
        this.deadTopic = Topics.WEBHOOK_DEAD.name(prefix);
        this.alertsTopic = Topics.ALERTS.name(prefix);
        this.tierTopics = Topics.WEBHOOK_RETRY_TIERS.stream().map(t -> t.name(prefix)).toList();
    }

    List<ProducerRecord<String, byte[]>> of(Outcome o) {
        String key = o.job().notification().getAlertId();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(3);
        if (o.attempt() != null) {
            records.add(new ProducerRecord<>(attemptsTopic, key, attempts.serialize(attemptsTopic, o.attempt())));
        }
        switch (o.kind()) {
            case RETRY -> {
                String topic = tierTopics.get(o.tier());
                records.add(new ProducerRecord<>(topic, key, deliveries.serialize(topic, delivery(o, o.dueAt()))));
            }
            case DEAD -> records.add(new ProducerRecord<>(deadTopic, key,
                    deliveries.serialize(deadTopic, delivery(o, o.decidedAt()))));
            case DELIVERED -> { }
            default -> throw new IllegalStateException("unknown outcome " + o.kind());
        }
        if (o.disabledAlert() != null) {
            records.add(new ProducerRecord<>(alertsTopic, o.disabledAlert().getId(),
                    alerts.serialize(alertsTopic, o.disabledAlert())));
        }
        return records;
    }

    private static WebhookDelivery delivery(Outcome o, Instant dueAt) {
        return WebhookDelivery.newBuilder()
                .setNotification(o.job().notification())
                .setAttempts(o.attempts())
                .setFirstAttemptAt(o.firstAttemptAt())
                .setDueAt(dueAt)
                .setLastStatus(o.lastStatus())
                .setLastError(o.lastError())
                .build();
    }

    /** Tier index of {@code topic}, or -1. */
    int tierOf(String topic) {
        return tierTopics.indexOf(topic);
    }

    List<String> tierTopics() {
        return tierTopics;
    }
}
