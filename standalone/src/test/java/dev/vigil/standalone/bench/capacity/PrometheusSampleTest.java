package dev.vigil.standalone.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusSampleTest {

    private static final String SCRAPE = """
            # HELP vigil_indexer_lane_backlog Jobs waiting
            # TYPE vigil_indexer_lane_backlog gauge
            vigil_indexer_lane_backlog{lane="vision",} 7.0
            vigil_indexer_lane_backlog{lane="speech",} 2.0
            vigil_ingest_frames_produced_total{rtstream="rts-1",} 40.0
            vigil_ingest_frames_produced_total{rtstream="rts-2",} 38.0
            vigil_ingest_pacing_lateness_seconds_bucket{rtstream="rts-1",le="0.05",} 90.0
            vigil_ingest_pacing_lateness_seconds_bucket{rtstream="rts-1",le="0.1",} 95.0
            vigil_ingest_pacing_lateness_seconds_bucket{rtstream="rts-1",le="+Inf",} 100.0
            vigil_ingest_pacing_lateness_seconds_count{rtstream="rts-1",} 100.0
            jvm_threads_live_threads 120.0
            """;

    @Test
    void sumsSeriesByNameAndLabel() {
        PrometheusSample sample = PrometheusSample.parse(SCRAPE);

        assertThat(sample.sum("vigil_ingest_frames_produced_total")).isEqualTo(78.0);
        assertThat(sample.sum("vigil_indexer_lane_backlog", "lane", "vision")).isEqualTo(7.0);
        assertThat(sample.sum("jvm_threads_live_threads")).isEqualTo(120.0);
        assertThat(sample.sum("absent_total")).isZero();
    }

    @Test
    void countsHistogramObservationsAboveABucketBound() {
        assertThat(PrometheusSample.parse(SCRAPE).countAbove("vigil_ingest_pacing_lateness_seconds", 0.1)).isEqualTo(5.0);
    }
}
