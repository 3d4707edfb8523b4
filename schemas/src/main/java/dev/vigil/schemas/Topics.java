package dev.vigil.schemas;

import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.JudgeRequest;
import dev.vigil.schemas.alerts.WebhookDelivery;
import dev.vigil.schemas.alerts.WebhookDeliveryAttempt;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.EventRule;
import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.control.StreamStatus;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import dev.vigil.schemas.media.RecordingSegment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of Vigil's topics (README, Architecture). Names are {@code prefix + suffix}; the prefix is
 * {@value #DEFAULT_PREFIX} unless configured. Keys are strings; values are Avro records in
 * single-object encoding.
 *
 * <p>Data topics that are joined with each other (media, index records) share one partition count so
 * Kafka Streams can co-partition them by rtstream id.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "vigil.";

    /** Partitions of every topic unless configured: enough to spread streams over a dozen workers. */
    public static final int DEFAULT_PARTITIONS = 12;

    private static final Duration MEDIA_RETENTION = Duration.ofHours(6);
    private static final Duration INDEX_RETENTION = Duration.ofDays(7);
    private static final Duration ALERT_RETENTION = Duration.ofDays(28);

    public static final TopicDef<String, RtStreamSpec> RTSTREAMS = TopicDef.compacted("rtstreams",
            RtStreamSpec.class, DEFAULT_PARTITIONS, "Stream specs by rtstream id; ingest workers share its partitions.");
    public static final TopicDef<String, StreamStatus> RTSTREAM_STATUS = TopicDef.compacted("rtstreams.status",
            StreamStatus.class, DEFAULT_PARTITIONS, "Live ingest status by rtstream id, written by the owning worker.");
    public static final TopicDef<String, IndexSpec> INDEXES = TopicDef.compacted("indexes",
            IndexSpec.class, DEFAULT_PARTITIONS, "Index specs by index id.");
    public static final TopicDef<String, EventRule> EVENTS = TopicDef.compacted("events",
            EventRule.class, DEFAULT_PARTITIONS, "Event rules by event id.");
    public static final TopicDef<String, AlertBinding> ALERTS = TopicDef.compacted("alerts",
            AlertBinding.class, DEFAULT_PARTITIONS, "Alert bindings by alert id.");

    public static final TopicDef<String, MediaFrame> MEDIA_FRAMES = TopicDef.retained("media.frames", TopicGroup.MEDIA,
            MediaFrame.class, MEDIA_RETENTION, DEFAULT_PARTITIONS, "Sampled JPEG frames by rtstream id.");
    public static final TopicDef<String, AudioChunk> MEDIA_AUDIO = TopicDef.retained("media.audio", TopicGroup.MEDIA,
            AudioChunk.class, MEDIA_RETENTION, DEFAULT_PARTITIONS, "16 kHz mono PCM chunks by rtstream id.");

    /**
     * The recording's segment index: one record per stored segment, keyed by its storage key, so any
     * instance answers a time-range query for a stream; retention deletes a segment's object, then writes
     * its tombstone.
     */
    public static final TopicDef<String, RecordingSegment> RECORDING_SEGMENTS = TopicDef.compacted("recordings.segments",
            RecordingSegment.class, DEFAULT_PARTITIONS, "Recorded media segments by storage key; tombstone = deleted.");

    public static final TopicDef<String, TranscriptRecord> INDEX_TRANSCRIPT = TopicDef.retained("index.transcript", TopicGroup.INDEX,
            TranscriptRecord.class, INDEX_RETENTION, DEFAULT_PARTITIONS, "Transcript records by rtstream id.");
    public static final TopicDef<String, SceneRecord> INDEX_SCENE = TopicDef.retained("index.scene", TopicGroup.INDEX,
            SceneRecord.class, INDEX_RETENTION, DEFAULT_PARTITIONS, "Scene records by rtstream id.");
    public static final TopicDef<String, AudioRecord> INDEX_AUDIO = TopicDef.retained("index.audio", TopicGroup.INDEX,
            AudioRecord.class, INDEX_RETENTION, DEFAULT_PARTITIONS, "Audio records by rtstream id.");

    public static final TopicDef<String, AlertNotification> ALERTS_FIRED = TopicDef.retained("alerts.fired", TopicGroup.ALERTS,
            AlertNotification.class, ALERT_RETENTION, DEFAULT_PARTITIONS, "Alert notifications by alert id.");
    /**
     * Index records waiting for the LLM judge, by rtstream id: the alert-router's topology writes one per
     * record of an index with judged alerts, its judge worker reads them off the Streams thread. Index
     * retention: a request is worth nothing once its record is gone.
     */
    public static final TopicDef<String, JudgeRequest> ALERTS_JUDGE = TopicDef.retained("alerts.judge", TopicGroup.INDEX,
            JudgeRequest.class, INDEX_RETENTION, DEFAULT_PARTITIONS, "Index records to judge against judged alerts, by rtstream id.");
    public static final TopicDef<String, WebhookDeliveryAttempt> WEBHOOK_ATTEMPTS = TopicDef.retained("webhooks.attempts", TopicGroup.ALERTS,
            WebhookDeliveryAttempt.class, ALERT_RETENTION, DEFAULT_PARTITIONS, "Webhook delivery log by alert id.");

    /**
     * Delay topics of the webhook retry schedule (5 s, 30 s, 2 min, 10 min, 1 h, 6 h): a failed
     * delivery waits in the tier of its next delay, so every tier is ordered by due time and a
     * consumer only ever waits for its head record.
     */
    public static final List<TopicDef<String, WebhookDelivery>> WEBHOOK_RETRY_TIERS = List.of(
            retryTier("5s"), retryTier("30s"), retryTier("2m"), retryTier("10m"), retryTier("1h"), retryTier("6h"));
    public static final TopicDef<String, WebhookDelivery> WEBHOOK_DEAD = TopicDef.retained("webhooks.dead", TopicGroup.ALERTS,
            WebhookDelivery.class, ALERT_RETENTION, DEFAULT_PARTITIONS, "Webhook deliveries that exhausted their retries, by alert id.");

    /** Every topic, in the order the bootstrap creates them. */
    public static final List<TopicDef<String, ?>> ALL = List.copyOf(concat(List.of(
            RTSTREAMS, RTSTREAM_STATUS, INDEXES, EVENTS, ALERTS,
            MEDIA_FRAMES, MEDIA_AUDIO, RECORDING_SEGMENTS,
            INDEX_TRANSCRIPT, INDEX_SCENE, INDEX_AUDIO,
            ALERTS_FIRED, ALERTS_JUDGE, WEBHOOK_ATTEMPTS), WEBHOOK_RETRY_TIERS, List.of(WEBHOOK_DEAD)));

    private static TopicDef<String, WebhookDelivery> retryTier(String delay) {
        return TopicDef.retained("webhooks.retry." + delay, TopicGroup.ALERTS, WebhookDelivery.class, ALERT_RETENTION,
                DEFAULT_PARTITIONS, "Webhook deliveries waiting " + delay + " for their next attempt, by alert id.");
    }

    @SafeVarargs
    private static List<TopicDef<String, ?>> concat(List<? extends TopicDef<String, ?>>... lists) {
        List<TopicDef<String, ?>> all = new java.util.ArrayList<>();
        for (List<? extends TopicDef<String, ?>> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private Topics() {
    }

    /** The topic whose full name under {@code prefix} is {@code name}, if it is one of Vigil's. */
    public static Optional<TopicDef<String, ?>> byName(String prefix, String name) {
        return ALL.stream().filter(t -> t.name(prefix).equals(name)).findFirst();
    }
}
