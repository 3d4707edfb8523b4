package dev.vigil.standalone.bench.capacity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of Vigil's {@code /metrics} (Prometheus text format), read the way a dashboard would:
 * the bench measures the service through what it exports, so an external deployment reads the same.
 */
final class PrometheusSample {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Series(Map<String, String> labels, double value) {
    }

    private final Map<String, List<Series>> byName = new HashMap<>();

    private PrometheusSample() {
    }

    static PrometheusSample parse(String text) {
        PrometheusSample sample = new PrometheusSample();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name;
            Map<String, String> labels = new HashMap<>();
            if (brace > 0 && brace < space) {
                name = line.substring(0, brace);
                Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            } else {
                name = line.substring(0, space).trim();
            }
            try {
                double value = Double.parseDouble(line.substring(space + 1).trim());
                sample.byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new Series(labels, value));
            } catch (NumberFormatException e) {
                // a value we do not use ("NaN" parses; anything else is not a sample line)
            }
        }
        return sample;
    }

    /** Sum of every series of {@code name}; 0 when absent. */
    double sum(String name) {
        return sum(name, labels -> true);
    }

    /** Sum of the series of {@code name} whose labels pass {@code filter}. */
    double sum(String name, Predicate<Map<String, String>> filter) {
        return byName.getOrDefault(name, List.of()).stream().filter(s -> filter.test(s.labels()))
                .mapToDouble(Series::value).filter(Double::isFinite).sum();
    }

    /** Sum of the series of {@code name} with {@code label=value}. */
    double sum(String name, String label, String value) {
        return sum(name, labels -> value.equals(labels.get(label)));
    }

    /**
     * Observations of a histogram above {@code seconds} (count minus the cumulative bucket at that bound),
     * over all its series; the bound must be one of its buckets.
     */
    double countAbove(String histogram, double seconds) {
        double count = sum(histogram + "_count");
        double within = sum(histogram + "_bucket", labels -> {
            String le = labels.get("le");
            return le != null && !le.equals("+Inf") && Math.abs(Double.parseDouble(le) - seconds) < 1e-9;
        });
        return count - within;
    }
}
