package dev.vigil.rules.meaning;

import dev.vigil.rules.RuleCompiler;
import dev.vigil.rules.RuleException;
import dev.vigil.rules.cel.Condition;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.schemas.alerts.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: measures the offline meaning layer on one thread — embedder load time, milliseconds
 * per uncached sentence, compile time per prompt (first prompt pays the anchors), and a
 * {@code text.means(...)} condition evaluated on new record texts (uncached) and repeated ones.
 *
 * <p>Run after {@code mvn -B -pl rules -am test-compile}:
 * <pre>
 * cd rules && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.vigil.rules.meaning.MeaningBench
 * </pre>
 */
public final class MeaningBench {

    private MeaningBench() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        SentenceEmbedder embedder = SentenceEmbedder.shared();
        System.out.printf(Locale.ROOT, "embedder load: %d ms (wall, incl. class loading)%n", (System.nanoTime() - t0) / 1_000_000);

        for (int i = 0; i < 50; i++) {
            embedder.embed("warm up sentence number " + i);
        }
        int n = 500;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            embedder.embed("a delivery truck number " + i + " is parked next to the loading dock while someone waits");
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "embed (uncached, 17 words): p50 %.2f ms, p99 %.2f ms%n", ms[n / 2], ms[n * 99 / 100]);

        RuleCompiler compiler = RuleCompiler.create(false);
        List<String> prompts = List.of("a dog barks", "shattered window", "blackout", "Detect person without helmet",
                "a customer mentions a refund", "baby crying", "someone knocks on the door", "Detect intruder",
                "More than three people in the room", "a fight breaks out", "power outage", "a crowd gathers");
        List<Double> compileMs = new ArrayList<>();
        for (String p : prompts) {
            long s = System.nanoTime();
            try {
                compiler.compile(p, null);
            } catch (RuleException e) {
                // refused prompts are timed too: the hint embeds the closest concepts
            }
            compileMs.add((System.nanoTime() - s) / 1e6);
        }
        System.out.printf(Locale.ROOT, "compile: first prompt %.1f ms (embeds the anchors), then %s ms%n",
                compileMs.get(0), compileMs.subList(1, compileMs.size()).stream()
                        .map(d -> String.format(Locale.ROOT, "%.1f", d)).toList());

        Condition means = compiler.conditions().compile("transcript.means(\"a refund\")");
        int records = 300;
        long s = System.nanoTime();
        for (int i = 0; i < records; i++) {
            means.matches(record("customer " + i + " says I want my money back"));
        }
        double uncached = (System.nanoTime() - s) / 1e6 / records;
        NormalisedRecord same = record("I want my money back");
        means.matches(same);
        s = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            means.matches(same);
        }
        double cached = (System.nanoTime() - s) / 1e3 / 100_000;
        System.out.printf(Locale.ROOT, "text.means: %.2f ms per new text, %.2f µs per repeated text%n", uncached, cached);
    }

    private static NormalisedRecord record(String text) {
        Instant now = Instant.parse("2026-03-01T23:15:00Z");
        return NormalisedRecord.builder(Channel.TRANSCRIPT).text(text).transcript(text).start(now).end(now.plusSeconds(2))
                .build();
    }
}
