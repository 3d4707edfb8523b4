package dev.vigil.schemas;

/** Families of topics that share retention and sizing settings. */
public enum TopicGroup {
    /** Compacted control state: stream, index, event and alert specs, stream status. */
    CONTROL,
    /** Raw media: frames and audio chunks (hours). */
    MEDIA,
    /** Index records: transcript, scene and audio (days). */
    INDEX,
    /** Alert notifications and the webhook delivery log (weeks). */
    ALERTS
}
