package dev.vigil.rules;

import static dev.vigil.rules.IndexRecords.audio;
import static dev.vigil.rules.IndexRecords.scene;
import static dev.vigil.rules.IndexRecords.transcript;

import dev.vigil.rules.cel.Condition;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.rules.record.RecordNormaliser;
import dev.vigil.schemas.index.AudioRecord;
import dev.vigil.schemas.index.SceneRecord;
import dev.vigil.schemas.index.TranscriptRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: a micro benchmark of evaluation on one thread, for the README and for sizing the
 * alert-router. Compiles a few typical prompts, normalises a mix of scene, audio and transcript
 * records, warms up, then measures condition evaluations per second (and normalisations per second).
 *
 * <p>Run after {@code mvn -B verify -pl rules}:
 * <pre>
 * cd rules && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.vigil.rules.RuleEvaluationBench
 * </pre>
 */
public final class RuleEvaluationBench {

    private static final long WARM_UP_NANOS = 5_000_000_000L;
    private static final long MEASURE_NANOS = 5_000_000_000L;

    private RuleEvaluationBench() {
    }

    public static void main(String[] args) throws Exception {
        RuleCompiler compiler = RuleCompiler.create(false);
        List<String> prompts = List.of("Detect intruder", "Alert when a person enters the warehouse zone",
                "Notify me if someone says 'help'", "fire alarm", "camera covered", "motion, alarm or scream",
                "more than 3 people and motion");
        List<Condition> conditions = new ArrayList<>();
        for (String p : prompts) {
            conditions.add(compiler.conditions().compile(compiler.compile(p, null).condition()));
        }
        List<Object> raw = List.of(
                scene().people(2).faces(1).zone("warehouse", "people", 1).labels("person", "motion").motion(0.2).build(),
                scene().brightness(0.02).labels("covered").build(),
                scene().motion(0.01).build(),
                audio().labels("alarm", "tonal").loudness(-15).build(),
                audio().labels("speech").transcript("could somebody help me please").build(),
                transcript("the quick brown fox jumps over the lazy dog"),
                transcript("help"));
        List<NormalisedRecord> records = new ArrayList<>();
        for (Object r : raw) {
            records.add(RecordNormaliser.normalise(r));
        }

        run("warm-up", conditions, records, WARM_UP_NANOS);
        for (Condition c : conditions) {
            double rate = run(c.expression(), List.of(c), records, MEASURE_NANOS / 2);
            System.out.printf(Locale.ROOT, "%,12.0f evaluations/s  %s%n", rate, c.expression());
        }
        double all = run("all", conditions, records, MEASURE_NANOS);
        System.out.printf(Locale.ROOT, "%,12.0f evaluations/s  mix of %d conditions x %d records, one thread%n",
                all, conditions.size(), records.size());
        System.out.printf(Locale.ROOT, "%,12.0f normalisations/s (Avro record -> NormalisedRecord)%n", normalise(raw));
    }

    private static double run(String name, List<Condition> conditions, List<NormalisedRecord> records, long nanos) {
        long evaluations = 0;
        long hits = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (int i = 0; i < 1_000; i++) {
                for (Condition c : conditions) {
                    for (NormalisedRecord r : records) {
                        if (c.matches(r)) {
                            hits++;
                        }
                    }
                }
            }
            evaluations += 1_000L * conditions.size() * records.size();
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        if (hits < 0) {
            System.out.println(name); // keeps hits alive for the JIT
        }
        return evaluations / (elapsed / 1e9);
    }

    private static double normalise(List<Object> raw) {
        long n = 0;
        long sink = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (Object r : raw) {
                NormalisedRecord nr = r instanceof SceneRecord s ? RecordNormaliser.normalise(s)
                        : r instanceof AudioRecord a ? RecordNormaliser.normalise(a)
                        : RecordNormaliser.normalise((TranscriptRecord) r);
                sink += nr.labels().size();
            }
            n += raw.size();
            elapsed = System.nanoTime() - start;
        } while (elapsed < 3_000_000_000L);
        if (sink < 0) {
            System.out.println(sink);
        }
        return n / (elapsed / 1e9);
    }
}
