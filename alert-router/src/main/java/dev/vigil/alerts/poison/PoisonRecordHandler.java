package dev.vigil.alerts.poison;

import dev.vigil.alerts.metrics.RouterMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Kafka Streams' handler for values that cannot be decoded, on every input of the alert-router (the
 * three index topics, alerts, events, rtstreams — the global tables too): the record is logged,
 * counted as poison with reason {@code undecodable} and skipped, and the application keeps running.
 * It replaces the plain {@code LogAndContinueExceptionHandler} that {@code KafkaClients.streams()}
 * sets, adding the count.
 *
 * <p>Kafka instantiates it by class name, so the {@link RouterMetrics} to count into arrive through
 * the Streams configuration under {@link #METRICS_CONFIG} (an object value: Streams passes its
 * original configuration map to {@link #configure}). Without it, records are still logged and skipped.
 */
public final class PoisonRecordHandler implements DeserializationExceptionHandler {

    /** Streams configuration key holding the {@link RouterMetrics} instance. */
    public static final String METRICS_CONFIG = "vigil.alert.router.metrics";

    private PoisonRecords poison = new PoisonRecords(RouterMetrics.unregistered());

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(METRICS_CONFIG) instanceof RouterMetrics metrics) {
            poison = new PoisonRecords(metrics);
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String cause = exception.getMessage();
        if (exception.getCause() != null && exception.getCause().getMessage() != null) {
            cause = cause + " (" + exception.getCause().getMessage() + ")";
        }
        poison.skip(record.topic(), "partition " + record.partition() + ", offset " + record.offset(),
                "undecodable", cause);
        return Response.resume();
    }
}
