package dev.vigil.rules.judge;

/**
 * Decides whether one record matches an event prompt that the prompt compiler could not turn into a
 * condition (rules with origin {@code LLM_JUDGE}). Implementations call a language model, e.g. an
 * OpenAI-compatible chat endpoint ({@code dev.vigil.models.judge.ModelJudge} in the models module).
 *
 * <p>How the alert-router uses it: an {@code LLM_JUDGE} rule's condition is {@code true}, so every
 * record of the bound index passes the condition. For each such record with non-empty text, the
 * router calls {@link #judge} with the event prompt and {@code NormalisedRecord.text()}, and fires
 * the alert when the verdict matches, with the verdict's explanation. Calls are slow (hundreds of
 * milliseconds) and cost money, so the router must make them off the Kafka Streams thread, bound
 * their rate per alert and apply the alert's cooldown before asking, not after.
 *
 * <p>Implementations must be thread-safe.
 */
public interface LlmJudge {

    /**
     * @param eventPrompt the user's prompt, e.g. "a delivery van parks in front of the gate"
     * @param recordText  the record's text: a transcript, a scene or an audio description
     * @return the verdict
     * @throws JudgeException when the judge cannot answer (timeout, HTTP error, unparsable reply);
     *                        the router treats it as "no match" and counts it
     */
    Verdict judge(String eventPrompt, String recordText) throws JudgeException;

    /**
     * Verdicts for every judged event of one index on one of its records, in the order of
     * {@code eventPrompts}. Implementations that call a model ask once for all of them (one call per
     * record whatever the number of events); this default asks {@link #judge} for each.
     *
     * @param collectionId the record's collection, whose budget of model calls the call spends
     */
    default java.util.List<Verdict> judgeAll(String collectionId, java.util.List<String> eventPrompts, String recordText)
            throws JudgeException {
        java.util.List<Verdict> verdicts = new java.util.ArrayList<>();
        for (String prompt : eventPrompts) {
            verdicts.add(judge(prompt, recordText));
        }
        return verdicts;
    }
}
