package dev.vigil.rules.cel;

import static dev.vigil.rules.IndexRecords.audio;
import static dev.vigil.rules.IndexRecords.normalised;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.RuleCompiler;
import dev.vigil.rules.record.NormalisedRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One compiled condition shared by many threads gives the same answers as on one thread. */
class ConditionThreadSafetyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 1_000;

    @Test
    void sharedConditionsGiveTheSameAnswersOnManyThreads() throws Exception {
        RuleCompiler compiler = RuleCompiler.create(false);
        List<Condition> conditions = new ArrayList<>();
        for (String prompt : List.of("a person in the lobby", "alarm or scream", "someone says 'help'", "dark")) {
            conditions.add(compiler.conditions().compile(compiler.compile(prompt, null).condition()));
        }
        conditions.add(compiler.conditions().compile("counts.people / counts.faces > 0")); // errors half the time
        List<NormalisedRecord> records = List.of(
                normalised(scene().zone("lobby", "people", 1)), normalised(scene().brightness(0.05)),
                normalised(audio().labels("alarm")), normalised(audio().loudness(-3)),
                normalised(transcript("help me")), normalised(scene().people(2).faces(1)));
        int[] expected = new int[conditions.size()];
        for (int k = 0; k < conditions.size(); k++) {
            for (NormalisedRecord r : records) {
                expected[k] += conditions.get(k).matches(r) ? 1 : 0;
            }
        }
        long errorsBefore = conditions.get(4).evaluationErrors();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Callable<int[]>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    int[] hits = new int[conditions.size()];
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int k = 0; k < conditions.size(); k++) {
                            for (NormalisedRecord r : records) {
                                hits[k] += conditions.get(k).matches(r) ? 1 : 0;
                            }
                        }
                    }
                    return hits;
                });
            }
            for (Future<int[]> f : pool.invokeAll(tasks)) {
                int[] hits = f.get();
                for (int k = 0; k < expected.length; k++) {
                    assertThat(hits[k]).as("hits of %s", conditions.get(k)).isEqualTo(expected[k] * ROUNDS);
                }
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long errorsPerPass = errorsBefore; // one pass over the records before the threads started
        assertThat(conditions.get(4).evaluationErrors()).isEqualTo(errorsPerPass * (1 + (long) THREADS * ROUNDS));
        assertThat(expected).containsExactly(1, 2, 1, 1, 1);
    }
}
