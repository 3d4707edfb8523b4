package dev.vigil.ingest.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server for the tests: GStreamer's RTSP server ({@code src/test/resources/rtsp/rtsp_server.py}
 * run by {@code /usr/bin/python3}) on a fixed free port, so it can be killed, stopped (SIGSTOP) and
 * restarted on the same URL. Tests using it are skipped when the GStreamer packages are missing.
 */
public final class GstRtspServer implements AutoCloseable {

    public static final String PACKAGES = "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base "
            + "gstreamer1.0-plugins-good gstreamer1.0-plugins-bad";
    private static final String PYTHON = "/usr/bin/python3";

    private final Path script;
    private final int port;
    private Process process;

    private GstRtspServer(Path script, int port) {
        this.script = script;
        this.port = port;
    }

    /** Skips the calling test unless python3 with GStreamer's RTSP server and the needed elements is installed. */
    public static void assumeAvailable() {
        String check = "import gi; gi.require_version('Gst','1.0'); gi.require_version('GstRtspServer','1.0'); "
                + "from gi.repository import Gst, GstRtspServer; Gst.init(None); "
                + "missing=[e for e in ('videotestsrc','openh264enc','h264parse','rtph264pay','audiotestsrc','alawenc','rtppcmapay') "
                + "if Gst.ElementFactory.find(e) is None]; "
                + "import sys; print(missing); sys.exit(1 if missing else 0)";
        boolean ok;
        String output = "";
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", check).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
            output = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        assumeTrue(ok, "GStreamer RTSP server not available (" + output + "); install the Debian packages " + PACKAGES);
    }

    /** Starts a server on a free port; returns once it listens. */
    public static GstRtspServer start(Path workDir) throws Exception {
        Path script = workDir.resolve("rtsp_server.py");
        try (InputStream in = GstRtspServer.class.getResourceAsStream("/rtsp/rtsp_server.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GstRtspServer server = new GstRtspServer(script, port);
        server.restart();
        return server;
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + "/live";
    }

    /** (Re)starts the server process on the same port; returns once it listens. */
    public void restart() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        process = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("READY")) {
            process.destroyForcibly();
            throw new IllegalStateException("RTSP server did not start: " + first);
        }
        // Keep draining its output so GStreamer warnings never block it on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (lines.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // process ended
            }
        }, "test-rtsp-server-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Kills the server process at once (SIGKILL) and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing is sent. */
    public void freeze() throws Exception {
        signal("STOP");
    }

    /** Resumes a frozen server (SIGCONT). */
    public void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** Kills the server (thawing it first, so a frozen one dies too). */
    @Override
    public void close() throws java.io.IOException {
        if (process != null && process.isAlive()) {
            try {
                signal("CONT");
            } catch (Exception e) {
                // killed below anyway
            }
            process.destroyForcibly();
        }
    }
}
