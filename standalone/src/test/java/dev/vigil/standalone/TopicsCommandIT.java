package dev.vigil.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Topics;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code vigil topics} (the Helm chart's topic Job) against the real broker: creates, then finds. */
@ExtendWith(EmbeddedKafkaExtension.class)
class TopicsCommandIT {

    @Test
    void createsEveryTopicOnceAndReportsThemPresentOnTheSecondRun(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        Map<String, String> env = Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX", prefix, "VIGIL_TOPIC_PARTITIONS", "2");

        StringWriter first = new StringWriter();
        assertThat(run(env, first)).isZero();
        assertThat(first.toString()).contains(Topics.ALL.size() + " created, 0 already present");
        Set<String> names = kafka.admin().listTopics().names().get();
        assertThat(names).containsAll(Topics.ALL.stream().map(t -> t.name(prefix)).toList());

        StringWriter second = new StringWriter();
        assertThat(run(env, second)).isZero();
        assertThat(second.toString()).contains("0 created, " + Topics.ALL.size() + " already present");
    }

    @Test
    void anUnresolvableClusterFailsWithAClearMessage() {
        StringWriter err = new StringWriter();
        CommandLine cli = VigilCli.commandLine();
        cli.setErr(new PrintWriter(err));
        TopicsCommand command = (TopicsCommand) cli.getSubcommands().get("topics").getCommand();
        command.environment = Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "kafka.invalid:9092");

        assertThat(cli.execute("topics")).isEqualTo(1);
        assertThat(err.toString()).startsWith("vigil topics: cannot reach Kafka at kafka.invalid:9092")
                .doesNotContain("at org.apache");
    }

    private static int run(Map<String, String> env, StringWriter out) {
        CommandLine cli = VigilCli.commandLine();
        cli.setOut(new PrintWriter(out));
        ((TopicsCommand) cli.getSubcommands().get("topics").getCommand()).environment = env;
        return cli.execute("topics");
    }
}
