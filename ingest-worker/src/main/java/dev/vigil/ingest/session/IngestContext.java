package dev.vigil.ingest.session;

import dev.vigil.common.net.HostResolver;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.publish.MediaPublisher;
import dev.vigil.ingest.publish.StatusReporter;
import dev.vigil.ingest.source.SourceGuard;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every stream of a worker shares: settings, the producer, the status writer, the meter registry
 * and the source guard (one HTTP client for every stream's pre-open checks).
 */
public record IngestContext(IngestWorkerConfig config, MediaPublisher publisher, StatusReporter status,
        MeterRegistry registry, SourceGuard sources) {

    /** With a source guard built from {@code config}'s {@code VIGIL_SOURCES_*} settings. */
    public IngestContext(IngestWorkerConfig config, MediaPublisher publisher, StatusReporter status,
            MeterRegistry registry) {
        this(config, publisher, status, registry,
                new SourceGuard(config.sources().policy(HostResolver.system()), config.ioTimeout()));
    }
}
