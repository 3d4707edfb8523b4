package dev.vigil.alerts.binding;

import dev.vigil.alerts.poison.PoisonRecords;
import dev.vigil.alerts.poison.Problem;
import dev.vigil.schemas.control.AlertBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Checks each update of {@code vigil.alerts} before it enters the alert table.
 *
 * <ul>
 *   <li>A tombstone passes: the alert is deleted.</li>
 *   <li>A record without key is dropped (nothing to update), as poison.</li>
 *   <li>An alert whose id is not its key, or that lacks its collection, stream, index or event, is
 *       reported as poison and becomes a tombstone for its key: an alert the router cannot route
 *       safely must not go on firing with its previous settings (fail closed).</li>
 *   <li>A valid alert passes without its webhook secret, which routing never needs: the router's own
 *       store and changelog then hold no copy of it.</li>
 * </ul>
 */
public final class AlertGuard implements FixedKeyProcessor<String, AlertBinding, AlertBinding> {

    private final PoisonRecords poison;
    private final String topic;
    private FixedKeyProcessorContext<String, AlertBinding> context;

    public AlertGuard(PoisonRecords poison, String topic) {
        this.poison = poison;
        this.topic = topic;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, AlertBinding> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, AlertBinding> record) {
        AlertBinding alert = record.value();
        if (record.key() == null) {
            poison.skip(topic, where(), "missing_key", "an alert update without key cannot be applied");
            return;
        }
        if (alert == null) {
            context.forward(record);
            return;
        }
        Optional<Problem> problem = problem(record.key(), alert);
        if (problem.isPresent()) {
            poison.skip(topic, where() + ", alert " + record.key(), problem.get().reason(),
                    problem.get().detail() + "; the alert is removed until a valid version arrives");
            context.forward(record.withValue(null));
            return;
        }
        if (alert.getWebhookSecret() != null || !alert.getWebhookSecrets().isEmpty()) {
            // The router never signs: keep even sealed secrets out of its stores and changelogs.
            alert = AlertBinding.newBuilder(alert).setWebhookSecret(null).setWebhookSecrets(List.of()).build();
        }
        context.forward(record.withValue(alert));
    }

    private String where() {
        return context.recordMetadata().map(m -> "partition " + m.partition() + ", offset " + m.offset()).orElse("?");
    }

    /** What makes {@code alert} unusable, or empty when it is usable. */
    static Optional<Problem> problem(String key, AlertBinding alert) {
        if (!key.equals(alert.getId())) {
            return Optional.of(new Problem("key_mismatch", "id " + alert.getId() + " is not the record key " + key));
        }
        List<String> missing = new ArrayList<>();
        if (blank(alert.getCollectionId())) {
            missing.add("collection_id");
        }
        if (blank(alert.getRtstreamId())) {
            missing.add("rtstream_id");
        }
        if (blank(alert.getIndexId())) {
            missing.add("index_id");
        }
        if (blank(alert.getEventId())) {
            missing.add("event_id");
        }
        if (alert.getStatus() == null) {
            missing.add("status");
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of(new Problem("missing_field", "no " + String.join(", ", missing)));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
