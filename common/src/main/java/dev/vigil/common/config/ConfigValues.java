package dev.vigil.common.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The validated values of a set of {@link Setting}s, read from an environment-like map (the real
 * environment in {@code main}, a plain map in tests). Reading checks every setting and throws one
 * {@link ConfigException} listing all problems.
 */
public final class ConfigValues {

    static final String MASK = "******";

    private final Map<Setting<?>, Object> values;
    private final Set<String> unknownKeys;

    private ConfigValues(Map<Setting<?>, Object> values, Set<String> unknownKeys) {
        this.values = values;
        this.unknownKeys = unknownKeys;
    }

    /** Reads and validates {@code settings} from {@code env}; blank values count as unset. */
    public static ConfigValues read(Map<String, String> env, Collection<? extends Setting<?>> settings) {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Setting<?> setting : settings) {
            String raw = env.get(setting.env());
            if (raw == null || raw.isBlank()) {
                if (setting.isRequired()) {
                    errors.add(setting.env() + ": required but not set (" + setting.doc() + ")");
                } else {
                    values.put(setting, setting.defaultValue().orElse(null));
                }
                continue;
            }
            try {
                values.put(setting, setting.parse(raw));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        Set<String> known = settings.stream().map(Setting::env).collect(Collectors.toSet());
        Set<String> unknown = env.keySet().stream()
                .filter(k -> k.startsWith("VIGIL_") && !known.contains(k))
                .collect(Collectors.toCollection(TreeSet::new));
        return new ConfigValues(values, unknown);
    }

    /** The value of {@code setting}; fails for a setting that was not read. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException(setting.env() + " was not declared for this configuration");
        }
        return (T) values.get(setting);
    }

    /** The value of an optional setting without default. */
    public <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable(get(setting));
    }

    /** {@code VIGIL_*} variables present in the environment that no setting declares: likely typos. */
    public Set<String> unknownKeys() {
        return unknownKeys;
    }

    /** {@code NAME=value} lines, secrets masked, for the start-up log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        values.forEach((setting, value) -> lines.add(setting.env() + "=" + display(setting, value)));
        return lines;
    }

    private static String display(Setting<?> setting, Object value) {
        if (value == null) {
            return "";
        }
        return setting.isSecret() ? MASK : String.valueOf(value);
    }
}
