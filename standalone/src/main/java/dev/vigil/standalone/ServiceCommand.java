package dev.vigil.standalone;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil service <name>}: one service in its own process, exactly as its {@code Main} runs it
 * (configuration from {@code VIGIL_*}, health and metrics on {@code VIGIL_HTTP_PORT}, orderly stop on
 * SIGTERM). What each container of the Helm chart runs, so one image serves every Deployment.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = {"Run one Vigil service against the Kafka cluster of VIGIL_KAFKA_BOOTSTRAP_SERVERS.",
                "Services: ${COMPLETION-CANDIDATES}"})
public class ServiceCommand implements Callable<Integer> {

    /** The services and their entry points; a name is what the Helm chart and the docs call it. */
    enum Name {
        CONTROL_API("control-api", dev.vigil.api.Main::main),
        INGEST_WORKER("ingest-worker", dev.vigil.ingest.Main::main),
        INDEXER_STREAMS("indexer-streams", dev.vigil.indexer.Main::main),
        ALERT_ROUTER("alert-router", dev.vigil.alerts.Main::main),
        WS_GATEWAY("ws-gateway", dev.vigil.ws.Main::main),
        WEBHOOK_DISPATCHER("webhook-dispatcher", dev.vigil.webhooks.Main::main);

        final String id;
        final EntryPoint main;

        Name(String id, EntryPoint main) {
            this.id = id;
            this.main = main;
        }

        @Override
        public String toString() {
            return id;
        }

        static Name of(String id) {
            return Arrays.stream(values()).filter(n -> n.id.equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown service '" + id + "'; one of "
                            + Arrays.toString(values())));
        }
    }

    @FunctionalInterface
    interface EntryPoint {
        void run(String[] args) throws Exception;
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE", converter = NameConverter.class,
            completionCandidates = Candidates.class, description = "The service to run.")
    Name service;

    @Override
    public Integer call() throws Exception {
        service.main.run(new String[0]);
        // Each Main returns once its service is up and stops it from a shutdown hook; the launcher would
        // otherwise call System.exit with this command's result and end the service at once.
        new CountDownLatch(1).await();
        return 0;
    }

    static final class NameConverter implements picocli.CommandLine.ITypeConverter<Name> {
        @Override
        public Name convert(String value) {
            return Name.of(value);
        }
    }

    static final class Candidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(Name.values()).map(n -> n.id).iterator();
        }
    }
}
