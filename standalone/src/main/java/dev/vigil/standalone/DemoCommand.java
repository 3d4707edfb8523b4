package dev.vigil.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: standalone plus a sample stream, indexes, an event and alerts. The pipeline
 * services it needs (ingest, indexing, alerting, delivery) are not built yet, so for now it says so
 * instead of pretending.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run standalone with a bundled sample stream, indexes, an event and alerts (not available yet).")
public class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("vigil demo is not available yet: it needs the ingest, indexing and alerting "
                + "services. Run 'vigil standalone' for the broker, topics and health endpoints.");
        return 3;
    }
}
