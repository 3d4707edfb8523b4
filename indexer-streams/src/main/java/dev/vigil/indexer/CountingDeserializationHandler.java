package dev.vigil.indexer;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Kafka's log-and-continue handler for records that cannot be deserialised (garbage on a media or
 * index topic), plus a count in {@code vigil_indexer_media_undecodable_total{media=<topic>}}. Streams
 * creates it by class name; the metrics object arrives through the Streams config under
 * {@link #METRICS_CONFIG}.
 */
public final class CountingDeserializationHandler extends LogAndContinueExceptionHandler {

    public static final String METRICS_CONFIG = "vigil.indexer.metrics";

    private IndexerMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        if (configs.get(METRICS_CONFIG) instanceof IndexerMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (metrics != null) {
            metrics.undecodable(record.topic());
        }
        return super.handleError(context, record, exception);
    }
}
