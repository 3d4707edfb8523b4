package dev.vigil.common.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once: its environment variable ({@code VIGIL_…}), how to parse it,
 * its default (none means required), what it means, whether it is a secret, and the checks its value
 * must pass. Immutable; the builder-style methods return copies.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {

    private final String env;
    private final String type;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final boolean required;
    private final boolean secret;
    private final String doc;
    private final Predicate<T> check;
    private final String checkMessage;

    private Setting(String env, String type, Function<String, T> parser, T defaultValue, boolean required,
            boolean secret, String doc, Predicate<T> check, String checkMessage) {
        if (!env.matches("VIGIL_[A-Z0-9_]+")) {
            throw new IllegalArgumentException("setting names are VIGIL_ followed by A-Z, 0-9 and _: " + env);
        }
        this.env = env;
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.required = required;
        this.secret = secret;
        this.doc = Objects.requireNonNull(doc);
        this.check = check;
        this.checkMessage = checkMessage;
    }

    static <T> Setting<T> of(String env, String type, Function<String, T> parser, T defaultValue, String doc) {
        return new Setting<>(env, type, parser, defaultValue, false, false, doc, v -> true, null);
    }

    /** A copy with no default: start-up fails when the variable is missing or blank. */
    public Setting<T> required() {
        return new Setting<>(env, type, parser, null, true, secret, doc, check, checkMessage);
    }

    /** A copy whose value is masked wherever configuration is logged or printed. */
    public Setting<T> secret() {
        return new Setting<>(env, type, parser, defaultValue, required, true, doc, check, checkMessage);
    }

    /** A copy that also requires {@code condition}; {@code message} says what a valid value is. */
    public Setting<T> check(Predicate<T> condition, String message) {
        Predicate<T> both = check.and(condition);
        String messages = checkMessage == null ? message : checkMessage + "; " + message;
        return new Setting<>(env, type, parser, defaultValue, required, secret, doc, both, messages);
    }

    /** Parses and checks {@code raw}; the exception message says what is wrong, without the value if secret. */
    T parse(String raw) {
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            // A parser's message may quote the input, so a secret's is never passed on.
            String detail = secret || e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            throw new IllegalArgumentException(env + ": " + (secret ? "invalid value" : "'" + raw + "'")
                    + " is not a valid " + type + detail);
        }
        if (!check.test(value)) {
            throw new IllegalArgumentException(env + ": " + (secret ? "invalid value" : "'" + raw + "'")
                    + " is not allowed: " + checkMessage);
        }
        return value;
    }

    public String env() {
        return env;
    }

    /** Human name of the type, for docs: integer, duration, boolean, … */
    public String type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isSecret() {
        return secret;
    }

    public String doc() {
        return doc;
    }

    /** The rule a value must follow, if any, for docs. */
    public Optional<String> constraint() {
        return Optional.ofNullable(checkMessage);
    }

    @Override
    public String toString() {
        return env;
    }
}
