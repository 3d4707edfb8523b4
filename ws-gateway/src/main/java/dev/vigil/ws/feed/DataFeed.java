package dev.vigil.ws.feed;

import dev.vigil.common.kafka.reader.ReaderService;
import dev.vigil.common.kafka.reader.StartPosition;
import dev.vigil.common.kafka.reader.TopicReader;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.ws.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code index.transcript}, {@code index.scene}, {@code index.audio} and
 * {@code alerts.fired} with a {@link TopicReader} on its own thread ({@code vigil-ws-gateway-feed})
 * and hands each poll's records, encoded once into frames, to the {@link DeliverySink}.
 *
 * <p>At-most-once by design (see {@code DESIGN.md} in {@code dev.vigil.ws}): every partition is
 * assigned without a consumer group, reading starts at the end, and no offset is ever committed — a
 * restarted gateway neither replays old records to new connections nor resumes where it stopped.
 * A poll's records count as applied once encoded, before they are dispatched, so a reader restart
 * after a failed dispatch does not send them twice. Every gateway instance reads every partition and
 * delivers to the connections it holds. Undecodable records are logged, counted and skipped.
 * {@link #start()} returns once every partition's position is resolved, so any record written after
 * it returns is delivered.
 */
public final class DataFeed extends ReaderService<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(DataFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final DeliverySink sink;
    private final GatewayMetrics metrics;
    private final Map<String, Decoder> decoders = new HashMap<>();
    /** Reader thread: this poll's deliveries. */
    private final List<Delivery> batch = new ArrayList<>();

    /** One topic's deserializer and encoding into a delivery. */
    private interface Decoder {
        Delivery decode(String topic, byte[] value);
    }

    /** {@code consumerConfig}: bootstrap and client settings (KafkaClients.reader); offsets are managed here. */
    public DataFeed(Map<String, Object> consumerConfig, String topicPrefix, DeliveryEncoder encoder, DeliverySink sink,
            GatewayMetrics metrics) {
        super(TopicReader.builder("ws-data-feed", feedConsumerConfig(consumerConfig), new StringDeserializer(),
                        new ByteArrayDeserializer())
                .threadName("vigil-ws-gateway-feed")
                .topics(Stream.of(Topics.INDEX_TRANSCRIPT, Topics.INDEX_SCENE, Topics.INDEX_AUDIO, Topics.ALERTS_FIRED)
                        .map(t -> t.name(topicPrefix)).toList())
                .startAt(StartPosition.end())
                .pollTimeout(POLL)
                .meterRegistry(metrics.registry()), ReadyWhen.RUNNING);
        this.sink = sink;
        this.metrics = metrics;
        register(topicPrefix, Topics.INDEX_TRANSCRIPT, encoder::transcript);
        register(topicPrefix, Topics.INDEX_SCENE, encoder::scene);
        register(topicPrefix, Topics.INDEX_AUDIO, encoder::audio);
        register(topicPrefix, Topics.ALERTS_FIRED, encoder::alert);
    }

    private static Map<String, Object> feedConsumerConfig(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        // A position lost to retention jumps to the newest record: old records are never replayed.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // The broker answers a waiting fetch as soon as a record arrives; this only bounds idle polls.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return config;
    }

    private <V> void register(String prefix, TopicDef<String, V> def, java.util.function.Function<V, Delivery> encode) {
        Deserializer<V> deserializer = def.valueSerde().deserializer();
        decoders.put(def.name(prefix), (topic, value) -> {
            V record = deserializer.deserialize(topic, value);
            return record == null ? null : encode.apply(record);
        });
    }

    /** Assigns every partition at its end and starts the reader thread. */
    @Override
    public void start() throws Exception {
        super.start();
        log.info("Data feed positioned at the end of {} partitions", reader().partitions().size());
    }

    /** Reader thread: encodes one record for this poll's batch, unless nobody is connected. */
    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (sink.isEmpty()) {
            return; // nobody to deliver to: at-most-once lets these go undecoded
        }
        Delivery delivery = decode(record);
        if (delivery != null) {
            batch.add(delivery);
        }
    }

    /** Reader thread: dispatches this poll's batch. */
    @Override
    protected void afterPoll(Map<TopicPartition, Long> positions) {
        if (batch.isEmpty()) {
            return;
        }
        List<Delivery> deliveries = List.copyOf(batch);
        batch.clear();
        log.trace("Dispatching {} deliveries", deliveries.size());
        sink.dispatch(deliveries);
    }

    private Delivery decode(ConsumerRecord<String, byte[]> record) {
        try {
            return decoders.get(record.topic()).decode(record.topic(), record.value());
        } catch (SerializationException e) {
            throw e; // skipped, counted and logged by the reader shell (skipped below)
        } catch (RuntimeException e) {
            // One odd record must not stop delivery to every connection.
            metrics.recordSkipped(record.topic());
            log.error("Skipping record {}-{}@{} that could not be encoded", record.topic(), record.partition(),
                    record.offset(), e);
        }
        return null;
    }

    @Override
    protected void skipped(ConsumerRecord<String, byte[]> record, SerializationException e) {
        metrics.recordSkipped(record.topic());
        super.skipped(record, e);
    }
}
