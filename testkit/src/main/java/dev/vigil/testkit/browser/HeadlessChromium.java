package dev.vigil.testkit.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's WebSocket
 * client: navigate, then evaluate JavaScript in the page. Enough to test a plain HTML/JS page without
 * a browser-automation framework. Shared by the dashboard's end-to-end test and the player tests.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket devtools;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket devtools) {
        this.process = process;
        this.profile = profile;
        this.devtools = devtools;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/chromium"));
    }

    public static HeadlessChromium launch() throws Exception {
        Path profile = Files.createTempDirectory("vigil-chromium");
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        Process process = new ProcessBuilder("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--window-size=1280,900",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        Awaitility.await("Chromium's DevTools port").atMost(Duration.ofSeconds(60))
                .until(() -> Files.isRegularFile(portFile) && Files.readAllLines(portFile).size() >= 2);
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        for (Object target : new JsonArray(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body())) {
            JsonObject t = (JsonObject) target;
            if ("page".equals(t.getString("type"))) {
                pageSocket = t.getString("webSocketDebuggerUrl");
            }
        }
        if (pageSocket == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium exposes no page target");
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonObject message = new JsonObject(text.toString());
                    text.setLength(0);
                    CompletableFuture<JsonObject> call = self[0] == null ? null : self[0].calls.remove(message.getInteger("id", -1));
                    if (call != null) {
                        call.complete(message);
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        self[0] = new HeadlessChromium(process, profile, socket);
        return self[0];
    }

    public void navigate(String url) throws Exception {
        call("Page.navigate", new JsonObject().put("url", url));
    }

    /** The value of {@code expression} evaluated in the page (JSON-serialisable results only). */
    public Object evaluate(String expression) throws Exception {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true)).getJsonObject("result").getJsonObject("result");
        return result.getValue("value");
    }

    private JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> response = new CompletableFuture<>();
        calls.put(id, response);
        devtools.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
                .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonObject message = response.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new IllegalStateException(method + " failed: " + message.getJsonObject("error").encode());
        }
        return message;
    }

    /** Chromium's own output, for failure messages. */
    public String log() {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        devtools.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
