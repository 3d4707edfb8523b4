package dev.vigil.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VigilCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = VigilCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        CommandLine standalone = cli.getSubcommands().get("standalone");
        ((StandaloneCommand) standalone.getCommand()).environment = env;
        return cli.execute(args);
    }

    @Test
    void invalidConfigurationListsEveryErrorAndExitsWithUsageError() {
        int code = run(Map.of("VIGIL_HTTP_PORT", "99999", "VIGIL_TOPIC_REPLICATION_FACTOR", "zero"), "standalone");

        assertThat(code).isEqualTo(VigilCli.USAGE_ERROR);
        assertThat(err.toString()).contains("2 errors", "VIGIL_HTTP_PORT", "VIGIL_TOPIC_REPLICATION_FACTOR")
                .doesNotContain("at dev.vigil");
    }

    @Test
    void optionsOverrideTheEnvironment() {
        StandaloneCommand command = new StandaloneCommand();
        command.environment = Map.of("VIGIL_HTTP_PORT", "9000", "VIGIL_DATA_DIR", "/var/lib/vigil");
        new CommandLine(command).parseArgs("--port", "7000", "--kafka", "kafka:9092");

        Map<String, String> env = command.effectiveEnvironment();

        assertThat(env).containsEntry("VIGIL_HTTP_PORT", "7000")
                .containsEntry("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("VIGIL_KAFKA_EMBEDDED", "false")
                .containsEntry("VIGIL_DATA_DIR", "/var/lib/vigil");
        StandaloneConfig config = StandaloneConfig.from(env);
        assertThat(config.embeddedKafka()).isFalse();
        assertThat(config.common().kafkaBootstrapServers()).isEqualTo("kafka:9092");
        // Recordings live under the data directory unless configured elsewhere.
        assertThat(config.storage().dir()).isEqualTo(java.nio.file.Path.of("/var/lib/vigil", "recordings"));
        assertThat(config.recording().defaultOn()).isFalse();
    }

    @Test
    void theModelOptionNamesTheModelServerOfEveryService() {
        StandaloneCommand command = new DemoCommand();
        command.environment = Map.of("VIGIL_MODEL_VISION", "qwen2.5vl:3b");
        new CommandLine(command).parseArgs("--model", "http://localhost:11434/v1");

        StandaloneConfig config = StandaloneConfig.from(command.effectiveEnvironment());

        assertThat(config.indexer().models().baseUrl()).contains(java.net.URI.create("http://localhost:11434/v1"));
        assertThat(config.indexer().models().visionAvailable()).isTrue();
        assertThat(StandaloneConfig.settings()).filteredOn(s -> s.env().equals("VIGIL_MODEL_BASE_URL")).hasSize(1);
    }

    @Test
    void configCommandPrintsTheReference() {
        assertThat(run(Map.of(), "config")).isZero();

        assertThat(out.toString()).contains("| `VIGIL_DATA_DIR` |", "| `VIGIL_KAFKA_BOOTSTRAP_SERVERS` |");
    }

    @Test
    void serviceNamesAreCheckedBeforeAnythingStarts() {
        assertThat(run(Map.of(), "service", "indexer")).isEqualTo(VigilCli.USAGE_ERROR);

        assertThat(err.toString()).contains("unknown service 'indexer'", "indexer-streams", "control-api")
                .doesNotContain("at dev.vigil");
    }

    @Test
    void everyServiceHasAnEntryPoint() {
        assertThat(ServiceCommand.Name.values()).extracting(n -> n.id).containsExactly("control-api", "ingest-worker",
                "indexer-streams", "alert-router", "ws-gateway", "webhook-dispatcher");
        assertThat(ServiceCommand.Name.of("alert-router")).isEqualTo(ServiceCommand.Name.ALERT_ROUTER);
    }

    @Test
    void benchRefusesNonsenseBeforeStartingAnything() {
        assertThat(run(Map.of(), "bench", "--rate", "0")).isEqualTo(VigilCli.USAGE_ERROR);
        assertThat(err.toString()).contains("--rate and --burst must be positive");

        assertThat(run(Map.of(), "bench", "--steady", "soon")).isEqualTo(VigilCli.USAGE_ERROR);
        assertThat(err.toString()).contains("'soon': use e.g. 250ms, 5s, 2m, 6h, 7d");

        assertThat(run(Map.of(), "bench", "--streams", "0")).isEqualTo(VigilCli.USAGE_ERROR);
        assertThat(err.toString()).contains("--streams must be between 1 and 1000");

        assertThat(run(Map.of(), "bench", "--soak")).isEqualTo(VigilCli.USAGE_ERROR);
        assertThat(err.toString()).contains("--soak needs --streams");

        assertThat(run(Map.of(), "bench", "--stage", "models")).isEqualTo(VigilCli.USAGE_ERROR);
        assertThat(err.toString()).contains("--stage is pipeline or model, not 'models'");
    }
}
