package dev.vigil.indexer.models;

import dev.vigil.common.models.ModelConfig;
import dev.vigil.models.ModelClient;
import dev.vigil.models.ModelResult;
import dev.vigil.schemas.control.IndexSpec;
import java.util.Optional;
import java.util.Set;

/**
 * Which model each index uses, from the server-wide {@link ModelConfig} and the index's VideoDB
 * {@code model_name} tier, and the {@link ModelClient} that calls it. Without a model server every
 * index runs on its offline engine ({@link #offline()}).
 *
 * <p>An index opts out of the model by naming its offline engine ({@code engine: opencv}, {@code dsp},
 * {@code sphinx4-grammar}, {@code sphinx4-freeform}); VideoDB's SDKs never send {@code engine}, so with a
 * model configured their indexes use it. The legacy names {@code openai-vision} and {@code openai} mean
 * "the model".
 */
public final class IndexModels implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IndexModels.class);

    /** Engine names that keep an index on its offline engine even when a model is configured. */
    static final Set<String> OFFLINE_ENGINES = Set.of("opencv", "dsp", "sphinx4-grammar", "sphinx4-freeform");

    private final ModelConfig config;
    private final ModelClient client;

    public IndexModels(ModelConfig config, ModelClient client) {
        this.config = config;
        this.client = client;
    }

    public static IndexModels offline() {
        return new IndexModels(ModelConfig.offline(), null);
    }

    /** The models of {@code config}, with a client when it names a server. */
    public static IndexModels of(ModelConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        return new IndexModels(config, ModelClient.of(config, registry).orElse(null));
    }

    /** The vision model describing a scene index's windows: its tier's model, else {@code VIGIL_MODEL_VISION}. */
    public Optional<String> vision(IndexSpec spec) {
        return usable(spec) ? config.modelFor(spec.getModelName(), config.vision()) : Optional.empty();
    }

    /** The text model summarising an audio index's windows: its tier's model, else {@code VIGIL_MODEL_TEXT}. */
    public Optional<String> text(IndexSpec spec) {
        return usable(spec) ? config.modelFor(spec.getModelName(), config.text()) : Optional.empty();
    }

    /** The transcription model of a transcript index ({@code VIGIL_MODEL_TRANSCRIBE}; tiers name chat models, not these). */
    public Optional<String> transcribe(String engine) {
        return client != null && (engine == null || !OFFLINE_ENGINES.contains(engine)) ? config.transcribe() : Optional.empty();
    }

    /**
     * Checks the server lists the configured models and warms the client up (see
     * {@link ModelClient#missingModels}); logs what it finds. Blocking: run it off the start-up path.
     */
    public void check() {
        if (client == null) {
            return;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        config.vision().ifPresent(names::add);
        config.text().ifPresent(names::add);
        config.transcribe().ifPresent(names::add);
        names.addAll(config.tiers().values());
        ModelResult<java.util.List<String>> result = client.missingModels(names);
        String server = config.baseUrl().map(Object::toString).orElse("");
        if (result instanceof ModelResult.Answer<java.util.List<String>> a && a.value().isEmpty()) {
            log.info("Model server {} serves {}", server, names);
        } else if (result instanceof ModelResult.Answer<java.util.List<String>> a) {
            log.warn("Model server {} does not list {} (a typo, or not pulled yet?); their indexes get offline records "
                    + "until it does", server, a.value());
        } else if (result instanceof ModelResult.Failure<java.util.List<String>> f) {
            log.warn("Model server {}: cannot list its models ({}: {}); model calls may fail and fall back to the "
                    + "offline engines", server, f.kind().tag(), f.message());
        }
    }

    /** The client; only called after one of the lookups above found a model. */
    public ModelClient client() {
        if (client == null) {
            throw new IllegalStateException("no model server configured");
        }
        return client;
    }

    private boolean usable(IndexSpec spec) {
        return client != null && (spec.getEngine() == null || !OFFLINE_ENGINES.contains(spec.getEngine()));
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
