package dev.vigil.ingest.media;

/** Which sources are played at real time by their timestamps (files would otherwise be read in a burst). */
public enum Pacing {
    /** Local files only: network sources arrive at their own (live) pace. */
    FILES,
    /** Every source, including network sources that deliver faster than real time (VOD over HTTP or HLS). */
    ALL,
    /** None: as fast as FFmpeg decodes; for tests and benchmarks. */
    NONE
}
