package dev.vigil.webhooks.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** CPU time by thread group (name without trailing numbers), for the benchmark's breakdown. */
final class CpuByThread {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuByThread() {
    }

    /** CPU nanos per thread id+name. */
    static Map<String, Long> snapshot() {
        Map<String, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            long nanos = THREADS.getThreadCpuTime(id);
            if (info != null && nanos >= 0) {
                cpu.put(id + "|" + info.getThreadName(), nanos);
            }
        }
        return cpu;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The busiest single threads between two snapshots, as a share of {@code wallNanos}. */
    static String busiest(Map<String, Long> before, Map<String, Long> after, long wallNanos) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey().substring(e.getKey().indexOf('|') + 1)
                        + "#" + e.getKey().substring(0, e.getKey().indexOf('|')), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6)
                .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / wallNanos) + "%")
                .collect(Collectors.joining(", "));
    }

    /** The top groups' CPU between two snapshots, in microseconds per item. */
    static String perItem(Map<String, Long> before, Map<String, Long> after, int items) {
        Map<String, Long> byGroup = new HashMap<>();
        after.forEach((key, nanos) -> {
            long delta = nanos - before.getOrDefault(key, 0L);
            String name = key.substring(key.indexOf('|') + 1).replaceAll("[-_ ]?\\d+$", "").replaceAll("\\d+", "N");
            byGroup.merge(name, delta, Long::sum);
        });
        return byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.format("%.1f", e.getValue() / 1e3 / items),
                        (a, b) -> a, LinkedHashMap::new))
                .toString();
    }
}
