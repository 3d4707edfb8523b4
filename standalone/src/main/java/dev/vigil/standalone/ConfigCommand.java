package dev.vigil.standalone;

import dev.vigil.common.config.ConfigReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil config}: prints every VIGIL_* setting of the standalone process as a Markdown table. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (every VIGIL_* variable) as Markdown.")
public class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigReference.markdown(StandaloneConfig.settings()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
