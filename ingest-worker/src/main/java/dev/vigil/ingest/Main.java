package dev.vigil.ingest;

import dev.vigil.common.lifecycle.ServiceLauncher;
import dev.vigil.ingest.record.RecordingConfig;
import dev.vigil.storage.StorageConfig;

/**
 * The ingest worker as its own process (one container per worker; run as many as needed, they share
 * the streams through the consumer group): reads {@code VIGIL_*}, creates missing topics, joins the
 * group and serves {@code /healthy}, {@code /ready} and {@code /metrics} on {@code VIGIL_HTTP_PORT};
 * stops in reverse order on SIGTERM, handing its streams over to the other workers.
 *
 * <p>Set {@code -Dorg.bytedeco.javacpp.cachedir} to a writable folder: JavaCPP unpacks the FFmpeg
 * natives (about 60 MB) there on first start.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServiceLauncher.launch("ingest-worker", IngestWorkerConfig.allSettings(), System.getenv(), launch -> {
            launch.services().start(new IngestWorkerService(launch.common(), IngestWorkerConfig.from(launch.values()),
                    RecordingConfig.from(launch.values()), StorageConfig.from(launch.values()), launch.registry()));
            return ServiceLauncher.NO_ROUTES;
        });
    }
}
