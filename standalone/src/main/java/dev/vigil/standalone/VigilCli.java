package dev.vigil.standalone;

import dev.vigil.common.config.ConfigException;
import dev.vigil.kafka.embedded.EmbeddedKafkaException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import dev.vigil.standalone.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} launcher. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
        description = "Vigil: live video and audio in, real-time events out, on Kafka.",
        subcommands = {StandaloneCommand.class, DemoCommand.class, ServiceCommand.class, TopicsCommand.class, BenchCommand.class,
                ConfigCommand.class})
public class VigilCli implements Runnable {

    /** Exit code for invalid configuration or a start-up problem the user can fix. */
    static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with Vigil's error handling: fixable problems print one clear message, no trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new VigilCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof EmbeddedKafkaException) {
                commandLine.getErr().println(e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        // Sphinx4 logs through java.util.logging: route it to SLF4J so one configuration governs every log.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        // The one place that may end the JVM: the launcher's own exit code.
        System.exit(commandLine().execute(args));
    }
}
