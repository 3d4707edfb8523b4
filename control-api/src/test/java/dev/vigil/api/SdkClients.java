package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The VideoDB SDKs on the wire, for the tests that replay them against a control API: the headers each
 * SDK's HTTP client sends ({@code requests} of videodb-python, axios of videodb-node), the path as each
 * builds it, and {@link #ok}, what both need of every answer.
 */
final class SdkClients {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    SdkClients(int port) {
        this.port = port;
    }

    /** One exchange as the SDK sees it. */
    record Wire(String request, int status, String contentType, JsonObject json, String raw) {
        JsonObject data() {
            return json.getJsonObject("data");
        }
    }

    /** {@code requests.Session} of videodb-python 0.4.x: session headers on every request, GET included. */
    Wire python(String method, String path, String jsonDumps) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "python-requests/2.32.3");
        headers.put("Accept-Encoding", "gzip, deflate");
        headers.put("Accept", "*/*");
        headers.put("x-access-token", ControlApiHarness.ALPHA_KEY);
        headers.put("x-videodb-client", "videodb-python/0.4.2");
        headers.put("Content-Type", "application/json");
        // base_url "http://host:port" + "/" + path, no normalisation.
        return send(method, "/" + path, headers, jsonDumps);
    }

    /** axios of videodb-node: Content-Type only with a body. */
    Wire node(String version, String method, String path, String jsonStringify) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json, text/plain, */*");
        headers.put("User-Agent", "axios/1.7.9");
        headers.put("Accept-Encoding", "gzip, compress, deflate, br");
        headers.put("x-access-token", ControlApiHarness.ALPHA_KEY);
        headers.put("x-videodb-client", "videodb-node/" + version);
        if (jsonStringify != null) {
            headers.put("Content-Type", "application/json");
        }
        return send(method, path, headers, jsonStringify);
    }

    Wire send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Wire(method + " " + path + (body == null ? "" : " " + body), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), ControlApiHarness.jsonOrNull(response.body()),
                response.body());
    }

    /**
     * What both SDKs need from every live answer (§1.4): 2xx, a JSON body with {@code success: true}
     * and {@code data} an object, no top-level {@code status} (which would send them polling), and
     * snake_case keys only (the Node SDK camel-cases them; a camelCase key would be read twice).
     */
    static JsonObject ok(Wire wire) {
        assertThat(wire.status()).as("status of %s: %s", wire.request(), wire.raw()).isBetween(200, 201);
        assertThat(wire.contentType()).as(wire.request()).startsWith("application/json");
        assertThat(wire.json()).as("JSON body of %s: %s", wire.request(), wire.raw()).isNotNull();
        assertThat(wire.json().getValue("success")).as(wire.request()).isEqualTo(true);
        assertThat(wire.json().getValue("data")).as("data of %s", wire.request()).isInstanceOf(JsonObject.class);
        assertThat(wire.json().containsKey("status")).as("top-level status in %s", wire.request()).isFalse();
        assertSnakeCase(wire.data(), wire.request() + " data");
        return wire.data();
    }

    private static void assertSnakeCase(Object value, String where) {
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, Object> e : object) {
                assertThat(e.getKey()).as("key in %s", where).matches("[a-z0-9_]+");
                assertSnakeCase(e.getValue(), where + "." + e.getKey());
            }
        } else if (value instanceof JsonArray array) {
            for (Object item : array) {
                assertSnakeCase(item, where + "[]");
            }
        }
    }
}
