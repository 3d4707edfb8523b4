package dev.vigil.standalone.demo;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A blocking client of Vigil's REST API for the launcher's own tools (demo set-up, bench). */
public final class RestClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI base;
    private final String apiKey;

    public RestClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** {@code data} of a successful call; any other answer throws with the server's message. */
    public JsonObject ok(String method, String path, JsonObject body) throws IOException, InterruptedException {
        HttpResponse<String> response = call(method, path, body);
        JsonObject json;
        try {
            json = new JsonObject(response.body());
        } catch (RuntimeException e) {
            json = new JsonObject();
        }
        if (response.statusCode() / 100 != 2 || !json.getBoolean("success", false)) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " " + response.body());
        }
        return json.getJsonObject("data", new JsonObject());
    }

    public HttpResponse<String> call(String method, String path, JsonObject body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("x-access-token", apiKey).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient http() {
        return http;
    }
}
