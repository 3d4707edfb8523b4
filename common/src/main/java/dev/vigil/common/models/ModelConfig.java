package dev.vigil.common.models;

import dev.vigil.common.config.ConfigException;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The server-wide model settings: one OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server,
 * LocalAI, OpenAI) and the names of the models Vigil may use on it, each optional. Every service that
 * calls a model or must know whether one is there (to accept or refuse a prompt) reads this one class.
 *
 * <ul>
 *   <li>{@code vision}: describes each scene window from the index prompt;</li>
 *   <li>{@code text}: summarises audio windows and judges events the offline vocabulary cannot express;</li>
 *   <li>{@code transcribe}: Whisper-compatible {@code /audio/transcriptions}, the free-form transcript.</li>
 * </ul>
 *
 * VideoDB's {@code model_name} tiers ({@code mini}, {@code basic}, {@code pro}, {@code ultra}) select a
 * model per tier through {@code VIGIL_MODEL_TIERS}; an unmapped tier uses the default model of its kind.
 */
public record ModelConfig(
        Optional<URI> baseUrl,
        Optional<String> apiKey,
        Optional<String> vision,
        Optional<String> text,
        Optional<String> transcribe,
        Map<Tier, String> tiers,
        Duration timeout,
        int concurrency,
        int callsPerMinutePerCollection) {

    /** VideoDB's model tiers, as an index's {@code model_name} names them. */
    public enum Tier { MINI, BASIC, PRO, ULTRA }

    public static final Setting<URI> BASE_URL = Settings.uri("VIGIL_MODEL_BASE_URL", null,
            "Base URL of an OpenAI-compatible model server, e.g. http://localhost:11434/v1 (Ollama); unset: offline engines only.")
            .check(u -> "http".equals(u.getScheme()) || "https".equals(u.getScheme()), "an http or https URL");
    public static final Setting<String> API_KEY = Settings.string("VIGIL_MODEL_API_KEY", null,
            "API key sent as a bearer token to the model server (never logged).").secret();
    public static final Setting<String> VISION = Settings.string("VIGIL_MODEL_VISION", null,
            "Vision-language model that describes scene windows from the index prompt, e.g. llava or gpt-4o-mini.");
    public static final Setting<String> TEXT = Settings.string("VIGIL_MODEL_TEXT", null,
            "Text model that summarises audio windows and judges events the offline vocabulary cannot express.");
    public static final Setting<String> TRANSCRIBE = Settings.string("VIGIL_MODEL_TRANSCRIBE", null,
            "Whisper-compatible transcription model (/audio/transcriptions), e.g. whisper-1; unset: offline phrase spotting.");
    public static final Setting<List<String>> TIERS = Settings.list("VIGIL_MODEL_TIERS", null,
            "Models for VideoDB's model_name tiers as tier=model pairs, e.g. mini=qwen2.5vl:3b,pro=qwen2.5vl:32b; "
                    + "an unmapped tier uses VIGIL_MODEL_VISION or VIGIL_MODEL_TEXT.")
            .check(ModelConfig::validTiers, "tier=model pairs with tiers mini, basic, pro or ultra");
    public static final Setting<Duration> TIMEOUT = Settings.duration("VIGIL_MODEL_TIMEOUT", Duration.ofSeconds(20),
            "Deadline of one model call (connect and whole answer); past it the offline record is emitted.")
            .check(d -> !d.isZero(), "must be positive");
    public static final Setting<Integer> CONCURRENCY = Settings.integer("VIGIL_MODEL_CONCURRENCY", 4, 1, 256,
            "Model calls in flight at once per service instance.");
    public static final Setting<Integer> CALLS_PER_MINUTE = Settings.integer("VIGIL_MODEL_CALLS_PER_MINUTE", 120, 1,
            1_000_000, "Budget of model calls per collection and minute per service instance; past it the offline record is emitted.");

    public static final List<Setting<?>> SETTINGS = List.of(BASE_URL, API_KEY, VISION, TEXT, TRANSCRIBE, TIERS,
            TIMEOUT, CONCURRENCY, CALLS_PER_MINUTE);

    public ModelConfig {
        tiers = Map.copyOf(tiers);
    }

    /** Builds the model settings from validated values; a model name without a server is an error. */
    public static ModelConfig from(ConfigValues values) {
        Map<Tier, String> tiers = new EnumMap<>(Tier.class);
        values.find(TIERS).ifPresent(pairs -> pairs.forEach(pair -> {
            int eq = pair.indexOf('=');
            tiers.put(Tier.valueOf(pair.substring(0, eq).trim().toUpperCase(Locale.ROOT)), pair.substring(eq + 1).trim());
        }));
        ModelConfig config = new ModelConfig(values.find(BASE_URL), values.find(API_KEY), values.find(VISION),
                values.find(TEXT), values.find(TRANSCRIBE), tiers, values.get(TIMEOUT), values.get(CONCURRENCY),
                values.get(CALLS_PER_MINUTE));
        List<String> errors = new ArrayList<>();
        if (config.baseUrl.isEmpty()) {
            for (Setting<String> model : List.of(VISION, TEXT, TRANSCRIBE)) {
                values.find(model).ifPresent(name -> errors.add(model.env() + ": names a model but "
                        + BASE_URL.env() + " is not set"));
            }
            if (!tiers.isEmpty()) {
                errors.add(TIERS.env() + ": maps tiers but " + BASE_URL.env() + " is not set");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    /** No model server: every index and event runs on the offline engines. */
    public static ModelConfig offline() {
        return new ModelConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), TIMEOUT.defaultValue().orElseThrow(), 4, 120);
    }

    public boolean visionAvailable() {
        return baseUrl.isPresent() && vision.isPresent();
    }

    public boolean textAvailable() {
        return baseUrl.isPresent() && text.isPresent();
    }

    public boolean transcribeAvailable() {
        return baseUrl.isPresent() && transcribe.isPresent();
    }

    /**
     * The model for an index's VideoDB {@code model_name}: its tier's model when mapped, else
     * {@code fallback} (the default model of the kind). Unknown names are treated as no tier.
     */
    public Optional<String> modelFor(String modelName, Optional<String> fallback) {
        if (modelName != null) {
            try {
                String mapped = tiers.get(Tier.valueOf(modelName.trim().toUpperCase(Locale.ROOT)));
                if (mapped != null) {
                    return Optional.of(mapped);
                }
            } catch (IllegalArgumentException notATier) {
                // a free model name is not honoured: operators choose which models tenants may use
            }
        }
        return fallback;
    }

    private static boolean validTiers(List<String> pairs) {
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                return false;
            }
            try {
                Tier.valueOf(pair.substring(0, eq).trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        // the record's generated toString would print the API key
        return "ModelConfig[baseUrl=" + baseUrl.map(URI::toString).orElse("") + ", vision=" + vision.orElse("")
                + ", text=" + text.orElse("") + ", transcribe=" + transcribe.orElse("") + ", tiers=" + tiers
                + ", timeout=" + timeout + ", concurrency=" + concurrency + ", callsPerMinutePerCollection="
                + callsPerMinutePerCollection + ", apiKey=" + (apiKey.isPresent() ? "******" : "") + "]";
    }
}
