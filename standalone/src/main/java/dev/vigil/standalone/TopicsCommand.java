package dev.vigil.standalone;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.kafka.KafkaClients;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.schemas.Topics;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil topics}: creates every missing Vigil topic on the cluster of
 * {@code VIGIL_KAFKA_BOOTSTRAP_SERVERS} with the catalogue's settings and reports mismatches of the
 * existing ones; exits 0 when every topic is present. The Helm chart's topic Job runs it.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Create the missing Vigil topics (prefix, partitions, replication and retention from VIGIL_*).",
                "Existing topics are never changed; a partition mismatch is reported as a warning."})
public class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Environment the command reads; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        CommonConfig common = CommonConfig.fromEnv(environment);
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(new KafkaClients(common).admin("vigil-topics"))) {
            TopicBootstrap.Result result = new TopicBootstrap(admin, common).ensure(Topics.ALL);
            result.created().forEach(t -> out.printf("created  %s%n", t));
            result.existing().forEach(t -> out.printf("present  %s%n", t));
            result.warnings().forEach(w -> out.printf("warning  %s%n", w));
            out.printf("%d topics on %s: %d created, %d already present, %d warnings%n", Topics.ALL.size(),
                    common.kafkaBootstrapServers(), result.created().size(), result.existing().size(),
                    result.warnings().size());
            out.flush();
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("vigil topics: " + e.getMessage());
            return 1;
        } catch (KafkaException e) {
            // e.g. no resolvable bootstrap address: the admin client cannot even be created.
            spec.commandLine().getErr().println("vigil topics: cannot reach Kafka at " + common.kafkaBootstrapServers()
                    + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
    }
}
