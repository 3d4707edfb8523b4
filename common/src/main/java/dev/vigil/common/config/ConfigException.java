package dev.vigil.common.config;

import java.util.List;

/** Configuration is invalid; carries every problem found, not just the first. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super("Invalid configuration (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n  - "
                + String.join("\n  - ", errors));
        this.errors = List.copyOf(errors);
    }

    /** One line per problem, each naming the variable. */
    public List<String> errors() {
        return errors;
    }
}
