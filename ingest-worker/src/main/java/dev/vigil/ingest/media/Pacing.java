package dev.vigil.ingest.media;

import dev.vigil.ingest.source.SourceKind;

/**
 * Which sources are played at real time by their timestamps. Anything FFmpeg can read faster than real
 * time (a file, a recording served over HTTP or as VOD HLS) would otherwise arrive in a burst: a 30 s
 * clip read in two seconds fills one or two scene windows instead of fifteen. A live source (RTSP,
 * RTMP, a live HLS playlist, an HTTP stream without a length) arrives at its own pace and is never
 * held back. A stream's own {@code realtime} choice wins over the worker's setting.
 */
public enum Pacing {
    /** Local files only: network sources arrive at their own pace. */
    FILES,
    /**
     * Files and recordings: network sources with a known duration (progressive media with a length,
     * an HLS playlist with {@code #EXT-X-ENDLIST}); live sources (no duration) are not paced.
     */
    RECORDED,
    /** Every source, including live ones. */
    ALL,
    /** None: as fast as FFmpeg decodes; for tests and benchmarks. */
    NONE;

    /**
     * Whether to pace a source.
     *
     * @param kind        the source's kind
     * @param durationUs  the duration FFmpeg found on opening it; 0 or less for a live source
     * @param streamChoice the stream's {@code realtime} field, null when it leaves it to the worker
     */
    public boolean paces(SourceKind kind, long durationUs, Boolean streamChoice) {
        if (streamChoice != null) {
            return streamChoice;
        }
        return switch (this) {
            case FILES -> kind == SourceKind.FILE;
            case RECORDED -> kind == SourceKind.FILE || ((kind == SourceKind.HTTP || kind == SourceKind.HLS) && durationUs > 0);
            case ALL -> true;
            case NONE -> false;
        };
    }
}
