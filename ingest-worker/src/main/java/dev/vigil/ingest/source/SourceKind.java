package dev.vigil.ingest.source;

/** Kinds of sources, each opened with its own FFmpeg options (see {@link Grabbers}). */
public enum SourceKind {
    RTSP,
    RTMP,
    /** HTTP(S) live streaming: an {@code .m3u8} playlist. */
    HLS,
    /** A progressive stream or file over HTTP(S): MPEG-TS, FLV, MP4, ... */
    HTTP,
    FILE;

    /** Whether the source is on the network: failures there are often temporary and are retried. */
    public boolean isNetwork() {
        return this != FILE;
    }
}
