package dev.vigil.standalone;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil standalone}: the embedded broker and every service in this JVM, until Ctrl-C. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {"Run Vigil in one process: an embedded Kafka broker (or --kafka) and every service.",
                "Configuration comes from VIGIL_* environment variables (see 'vigil config'); options override them."})
public class StandaloneCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(StandaloneCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (VIGIL_DATA_DIR, default ./data).")
    Path dataDir;

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of the embedded broker (VIGIL_KAFKA_BOOTSTRAP_SERVERS).")
    String kafka;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Embedded broker port (VIGIL_KAFKA_EMBEDDED_PORT, default 9092).")
    Integer kafkaPort;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (VIGIL_HTTP_PORT, default 8080).")
    Integer httpPort;

    @Option(names = "--model", paramLabel = "URL", description = {
            "OpenAI-compatible model server, e.g. http://localhost:11434/v1 (VIGIL_MODEL_BASE_URL); name its models",
            "with VIGIL_MODEL_VISION, VIGIL_MODEL_TEXT, VIGIL_MODEL_TRANSCRIBE."})
    String modelUrl;

    /** Environment the command reads; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        StandaloneConfig config = StandaloneConfig.from(effectiveEnvironment());
        logConfiguration(config);
        Standalone standalone = Standalone.start(config).stopOnShutdown();
        printWelcome(standalone);
        spec.commandLine().getOut().printf("Press Ctrl-C to stop.%n").flush();
        standalone.awaitStop();
        return 0;
    }

    /** The environment with command-line options applied on top. */
    Map<String, String> effectiveEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        if (dataDir != null) {
            env.put(StandaloneConfig.DATA_DIR.env(), dataDir.toString());
        }
        if (kafka != null) {
            env.put(StandaloneConfig.KAFKA_EMBEDDED.env(), "false");
            env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka);
        }
        if (kafkaPort != null) {
            env.put(StandaloneConfig.KAFKA_EMBEDDED_PORT.env(), kafkaPort.toString());
        }
        if (httpPort != null) {
            env.put("VIGIL_HTTP_PORT", httpPort.toString());
        }
        if (modelUrl != null) {
            env.put(dev.vigil.common.models.ModelConfig.BASE_URL.env(), modelUrl);
        }
        return env;
    }

    static void logConfiguration(StandaloneConfig config) {
        // Every setting at DEBUG; at INFO only how many there are, so the first screen shows the welcome.
        log.info("Configuration: {} settings validated ('vigil config' lists them; VIGIL_LOG_LEVEL=DEBUG prints their values)",
                config.description().size());
        log.debug("Configuration:\n  {}", String.join("\n  ", config.description()));
        if (!config.unknownKeys().isEmpty()) {
            log.warn("Ignoring unknown settings (typos?): {}", config.unknownKeys());
        }
    }

    private String standaloneDataDir(Standalone standalone) {
        return effectiveEnvironment().getOrDefault(StandaloneConfig.DATA_DIR.env(), "data") + "/" + LocalSecrets.API_KEY_FILE;
    }

    void printWelcome(Standalone standalone) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%nVigil is running.%n");
        out.printf("  Kafka bootstrap : %s%n", standalone.kafkaBootstrapServers());
        out.printf("  REST API        : %s  (VideoDB-compatible; /openapi.json)%n", standalone.httpUrl());
        out.printf("  Ops             : %s/healthy  /ready  /metrics%n", standalone.httpUrl());
        if (environment.get("VIGIL_API_KEYS") == null) {
            standalone.apiKeys().keySet().forEach(key -> out.printf("  API key         : %s  (collection 'default'; kept in %s)%n",
                    key, standaloneDataDir(standalone)));
        } else {
            out.printf("  API keys        : %d configured (VIGIL_API_KEYS)%n", standalone.apiKeys().size());
        }
        out.printf("  Topics          : %d created, %d already present%n",
                standalone.topics().created().size(), standalone.topics().existing().size());
        out.flush();
    }
}
