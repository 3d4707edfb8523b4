package dev.vigil.ingest.session;

import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.publish.MediaPublisher;
import dev.vigil.ingest.publish.StatusReporter;
import io.micrometer.core.instrument.MeterRegistry;

/** What every stream of a worker shares: settings, the producer, the status writer and the meter registry. */
public record IngestContext(IngestWorkerConfig config, MediaPublisher publisher, StatusReporter status,
        MeterRegistry registry) {
}
