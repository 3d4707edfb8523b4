package dev.vigil.ws.feed;

import java.util.List;

/**
 * One record read from Kafka, ready to be sent: the frame's JSON text (encoded once, written to
 * every connection that gets it) and what routing needs to pick those connections. Immutable; made
 * on the feed thread and read on the event loops.
 *
 * @param channel the frame's channel
 * @param collectionId the record's tenant; a connection of another collection never gets it
 * @param rtstreamId the stream the record is about
 * @param indexId the index that produced it (for alerts, the index of the matched record)
 * @param labels lower-cased labels for subscription filters (an alert's label, a record's labels)
 * @param targets connection ids the record is addressed to ({@code ws_connection_id}s), at most a few
 * @param json the frame as sent
 * @param jsonBytes its size in UTF-8, for the per-connection queue bound
 * @param sourceEpochMillis when the record left its producer ({@code emit_ts}, an alert's {@code timestamp}),
 *     for the Kafka→socket latency
 */
public record Delivery(Channel channel, String collectionId, String rtstreamId, String indexId, List<String> labels,
        List<String> targets, String json, int jsonBytes, long sourceEpochMillis) {

    public Delivery {
        labels = List.copyOf(labels);
        targets = List.copyOf(targets);
    }

    /** A delivery of {@code json}, its UTF-8 size computed once for every connection's queue bound. */
    public Delivery(Channel channel, String collectionId, String rtstreamId, String indexId, List<String> labels,
            List<String> targets, String json, long sourceEpochMillis) {
        this(channel, collectionId, rtstreamId, indexId, labels, targets, json,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, sourceEpochMillis);
    }
}
