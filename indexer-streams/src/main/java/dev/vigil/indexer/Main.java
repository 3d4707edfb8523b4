package dev.vigil.indexer;

import dev.vigil.common.lifecycle.ServiceLauncher;

/**
 * The indexer as its own process: reads {@code VIGIL_*}, creates missing topics, runs the indexer
 * and serves {@code /healthy}, {@code /ready} and {@code /metrics} on {@code VIGIL_HTTP_PORT}; stops
 * in reverse order on SIGTERM. Run with {@code -Dorg.bytedeco.javacpp.cachedir=…} pointing at a
 * writable folder (JavaCPP extracts OpenCV's natives there).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServiceLauncher.launch("indexer", IndexerConfig.allSettings(), System.getenv(), launch -> {
            launch.services().start(new IndexerService(launch.common(), IndexerConfig.from(launch.values()), launch.registry()));
            return ServiceLauncher.NO_ROUTES;
        });
    }
}
