package dev.vigil.models.judge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.models.ModelClient;
import dev.vigil.models.ModelResult;
import dev.vigil.models.ModelTask;
import dev.vigil.rules.judge.JudgeException;
import dev.vigil.rules.judge.LlmJudge;
import dev.vigil.rules.judge.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link LlmJudge} on a text model ({@code VIGIL_MODEL_TEXT}): one structured-output call per record
 * for all judged events of its index — the prompt lists the events, the model answers
 * {@code {"verdicts": [{"event", "match", "confidence", "explanation"}]}} under a strict JSON schema — and
 * the verdicts are cached by (record text, events), so a record seen again (a replay, another instance's
 * restart) costs nothing. Deadline, concurrency and the collection's budget are {@link ModelClient}'s; a
 * call that gives no answer, or an answer without a verdict for every event, is a {@link JudgeException}.
 * Thread-safe.
 */
public final class ModelJudge implements LlmJudge {

    static final String SYSTEM = "You judge records from a live video/audio monitoring system against events users "
            + "asked to be alerted about. A record is a description of a few seconds of a camera or microphone. "
            + "For each numbered event, decide whether the record shows it. Only what the record states counts; "
            + "do not assume what it does not say. Answer with one verdict per event.";
    /** Collection whose budget {@link #judge} spends: the single-prompt interface carries none. */
    static final String UNKNOWN_COLLECTION = "default";
    private static final int CACHE_SIZE = 10_000;

    private final ModelClient client;
    private final String model;
    private final Map<CacheKey, List<Verdict>> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, List<Verdict>> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private record CacheKey(String recordText, List<String> events) {
    }

    public ModelJudge(ModelClient client, String model) {
        this.client = client;
        this.model = model;
    }

    @Override
    public Verdict judge(String eventPrompt, String recordText) throws JudgeException {
        return judgeAll(UNKNOWN_COLLECTION, List.of(eventPrompt), recordText).get(0);
    }

    @Override
    public List<Verdict> judgeAll(String collectionId, List<String> eventPrompts, String recordText) throws JudgeException {
        if (eventPrompts.isEmpty()) {
            return List.of();
        }
        CacheKey key = new CacheKey(recordText, List.copyOf(eventPrompts));
        synchronized (cache) {
            List<Verdict> cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        ModelResult<JsonNode> result = client.structured(ModelTask.JUDGE, collectionId, model, SYSTEM,
                userPrompt(eventPrompts, recordText), "verdicts", schema());
        if (result instanceof ModelResult.Failure<JsonNode> f) {
            throw new JudgeException(f.kind().tag(), "judge model " + model + " gave no verdict (" + f.kind().tag() + "): "
                    + f.message());
        }
        List<Verdict> verdicts = verdicts(((ModelResult.Answer<JsonNode>) result).value(), eventPrompts.size());
        synchronized (cache) {
            cache.put(key, verdicts);
        }
        return verdicts;
    }

    static String userPrompt(List<String> eventPrompts, String recordText) {
        StringBuilder b = new StringBuilder("Events:\n");
        for (int i = 0; i < eventPrompts.size(); i++) {
            b.append(i + 1).append(". ").append(eventPrompts.get(i)).append('\n');
        }
        return b.append("\nRecord:\n").append(recordText).toString();
    }

    /** OpenAI strict structured output: every property required, no additional properties. */
    static Map<String, Object> schema() {
        Map<String, Object> verdict = Map.of(
                "type", "object",
                "properties", Map.of(
                        "event", Map.of("type", "integer", "description", "The event's number in the list"),
                        "match", Map.of("type", "boolean"),
                        "confidence", Map.of("type", "number", "description", "From 0 to 1"),
                        "explanation", Map.of("type", "string", "description", "One short sentence")),
                "required", List.of("event", "match", "confidence", "explanation"),
                "additionalProperties", false);
        return Map.of(
                "type", "object",
                "properties", Map.of("verdicts", Map.of("type", "array", "items", verdict)),
                "required", List.of("verdicts"),
                "additionalProperties", false);
    }

    private List<Verdict> verdicts(JsonNode answer, int events) throws JudgeException {
        Verdict[] byEvent = new Verdict[events];
        for (JsonNode v : answer.path("verdicts")) {
            int event = v.path("event").asInt(0);
            if (event < 1 || event > events || !v.path("match").isBoolean()) {
                continue;
            }
            double confidence = Math.max(0.0, Math.min(1.0, v.path("confidence").asDouble(0.5)));
            byEvent[event - 1] = new Verdict(v.path("match").asBoolean(), confidence, v.path("explanation").asText(""));
        }
        List<Verdict> out = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            if (byEvent[i] == null) {
                throw new JudgeException("incomplete", "judge model " + model + " gave no verdict for event " + (i + 1) + " of " + events);
            }
            out.add(byEvent[i]);
        }
        return List.copyOf(out);
    }
}
