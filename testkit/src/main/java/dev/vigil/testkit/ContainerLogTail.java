package dev.vigil.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * The last lines a container printed, kept for the failure message when it does not start: CI shows a failed
 * test's message and stack trace, not the test's log file, where Testcontainers writes the failed container's
 * output.
 */
public final class ContainerLogTail implements Consumer<OutputFrame> {

    private final int lines;
    private final Deque<String> tail = new ArrayDeque<>();

    private ContainerLogTail(int lines) {
        this.lines = lines;
    }

    /**
     * Starts {@code container}; when it fails to, throws {@link IllegalStateException} whose message ends with
     * its last {@code lines} lines of output (joined by " | ", so the one-line summaries keep them).
     */
    public static void start(GenericContainer<?> container, int lines) {
        ContainerLogTail tail = new ContainerLogTail(lines);
        container.withLogConsumer(tail);
        long started = System.nanoTime();
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(container.getDockerImageName() + " did not start after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms (" + e.getMessage() + "); its last lines: "
                    + tail.lines(), e);
        }
    }

    @Override
    public synchronized void accept(OutputFrame frame) {
        String line = frame.getUtf8StringWithoutLineEnding();
        if (line == null || line.isBlank()) {
            return;
        }
        tail.addLast(line);
        if (tail.size() > lines) {
            tail.removeFirst();
        }
    }

    /** The kept lines, oldest first. */
    public synchronized String lines() {
        return tail.isEmpty() ? "(none)" : String.join(" | ", tail);
    }
}
