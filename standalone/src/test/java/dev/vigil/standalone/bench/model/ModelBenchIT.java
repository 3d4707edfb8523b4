package dev.vigil.standalone.bench.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.standalone.demo.DemoRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The model stage of {@code vigil bench} runs end to end on a small load and reports every row (not its targets). */
class ModelBenchIT {

    @TempDir
    Path dataDir;

    @Test
    void reportsJudgedAlertLatencyModelCallsEmbeddingCostAndSearch() throws Exception {
        Map<String, String> env = new HashMap<>(DemoRun.DEMO_DEFAULTS);
        env.putAll(Map.of("VIGIL_DATA_DIR", dataDir.toString(),
                "VIGIL_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()),
                "VIGIL_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(freePort()),
                "VIGIL_HTTP_HOST", "127.0.0.1", "VIGIL_HTTP_PORT", "0"));
        StringWriter report = new StringWriter();
        ModelBench.Options options = new ModelBench.Options(Duration.ofMillis(20), 5, Duration.ofSeconds(2), 2, 32, 200, 2, 20,
                Duration.ofSeconds(120));

        new ModelBench(options, new PrintWriter(report, true)).run(env);

        String text = report.toString();
        LoggerFactory.getLogger(ModelBenchIT.class).info("Model stage report:\n{}", text);
        assertThat(text).contains("| model latency (fake OpenAI-compatible server) | 20 ms |",
                "| search embedding per record: e5, unique texts one by one / in batches of 16 |",
                "| records store: 200 records indexed by words |",
                "| … of which record → model call received (topology, judge topic, worker, client), p50 / p99 |", "| search over HTTP, 200 records / 2 streams, p50 / p99 (20 queries) |");
        // 10 records × 2 judged events, each alerted (at least once: delivery is at-least-once).
        Matcher alerts = Pattern.compile("judged alert fired, p50 / p99 \\((\\d+) alerts\\)").matcher(text);
        assertThat(alerts.find()).as(text).isTrue();
        assertThat(Integer.parseInt(alerts.group(1))).isGreaterThanOrEqualTo(20);
        Matcher calls = Pattern.compile("model calls per record \\(10 records, 2 judged events on the index\\) \\| ([0-9.]+) \\|")
                .matcher(text);
        assertThat(calls.find()).as(text).isTrue();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
