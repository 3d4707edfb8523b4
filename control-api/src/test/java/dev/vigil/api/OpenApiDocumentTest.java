package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.dashboard.Dashboard;
import dev.vigil.api.resources.ApiContext;
import dev.vigil.common.config.ConfigValues;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Keeps {@code openapi.json} (served at {@code /openapi.json}) and the router in step: every route the
 * router serves is documented, and the document lists nothing the router does not serve. Also checks
 * the document is well-formed OpenAPI 3.1 in the places clients and generators rely on.
 *
 * <p>The router is built by {@link ControlApi#mount} exactly as the service does, with a context that
 * has no Kafka behind it: mounting only reads the configuration, so no broker is needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private Vertx vertx;
    private Set<String> served;
    private JsonObject document;

    @BeforeAll
    void mountTheRouterAndLoadTheDocument() throws IOException {
        vertx = Vertx.vertx();
        ControlApiConfig config = ControlApiConfig.from(ConfigValues.read(
                Map.of("VIGIL_API_KEYS", "openapi-test-key-0123456789=alpha"), ControlApiConfig.SETTINGS));
        ApiContext context = new ApiContext(vertx, config, null, null, null, null, null, null, Clock.systemUTC());
        Router router = Router.router(vertx);
        ControlApi.mount(router, vertx, context);
        served = ControlApi.routes(router);
        try (InputStream in = getClass().getResourceAsStream("/openapi.json")) {
            assertThat(in).as("openapi.json on the classpath").isNotNull();
            document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    void closeVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** {@code "get /rtstream/{rid}"} for every operation in the document. */
    private Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String key : paths.getJsonObject(path).fieldNames()) {
                if (HTTP_METHODS.contains(key)) {
                    operations.add(key + " " + path);
                }
            }
        }
        return operations;
    }

    @Test
    void theRouterServesRoutes() {
        assertThat(served).contains("get /collection/{cid}", "post /rtstream", "get /rtstream/{rid}",
                "post /rtstream/{rid}/index/scene", "patch /rtstream/{rid}/index/{iid}/alert/{aid}/status", "get /openapi.json");
    }

    @Test
    void everyServedRouteIsDocumented() {
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(documented());
        // The dashboard's page and its two static files are for browsers, not part of the API.
        Dashboard.PATHS.forEach(path -> missing.remove("get " + path));
        assertThat(missing).as("routes the router serves but openapi.json does not list").isEmpty();
    }

    @Test
    void everyDocumentedOperationIsServed() {
        Set<String> extra = new TreeSet<>(documented());
        extra.removeAll(served);
        assertThat(extra).as("operations openapi.json lists but the router does not serve").isEmpty();
    }

    @Test
    void isOpenApi31WithInfoPathsAndSecuritySchemes() {
        assertThat(document.getString("openapi")).matches("3\\.1\\.\\d+");
        JsonObject info = document.getJsonObject("info");
        assertThat(info).isNotNull();
        assertThat(info.getString("title")).isNotBlank();
        assertThat(info.getString("version")).isNotBlank();
        assertThat(document.getJsonObject("paths")).isNotEmpty();
        JsonObject schemes = document.getJsonObject("components").getJsonObject("securitySchemes");
        assertThat(schemes).isNotEmpty();
        // The scheme VideoDB's SDKs use: an API key in the x-access-token header.
        assertThat(schemes.stream().map(e -> (JsonObject) e.getValue()))
                .anySatisfy(s -> {
                    assertThat(s.getString("type")).isEqualTo("apiKey");
                    assertThat(s.getString("in")).isEqualTo("header");
                    assertThat(s.getString("name")).isEqualTo("x-access-token");
                });
        // Every security requirement names a declared scheme.
        List<JsonArray> requirements = new ArrayList<>();
        if (document.getJsonArray("security") != null) {
            requirements.add(document.getJsonArray("security"));
        }
        operations().forEach(op -> {
            if (op.getJsonArray("security") != null) {
                requirements.add(op.getJsonArray("security"));
            }
        });
        assertThat(requirements).isNotEmpty();
        for (JsonArray requirement : requirements) {
            for (Object alternative : requirement) {
                assertThat(schemes.fieldNames()).containsAll(((JsonObject) alternative).fieldNames());
            }
        }
    }

    @Test
    void everyOperationAnswersAndDeclaresItsPathParameters() {
        JsonObject paths = document.getJsonObject("paths");
        Pattern template = Pattern.compile("\\{([^}]+)}");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            Set<String> inPath = new TreeSet<>();
            Matcher m = template.matcher(path);
            while (m.find()) {
                inPath.add(m.group(1));
            }
            for (String method : item.fieldNames()) {
                if (!HTTP_METHODS.contains(method)) {
                    continue;
                }
                JsonObject op = item.getJsonObject(method);
                assertThat(op.getJsonObject("responses")).as("responses of %s %s", method, path).isNotEmpty();
                Set<String> declared = new TreeSet<>();
                for (JsonArray params : new JsonArray[] {item.getJsonArray("parameters"), op.getJsonArray("parameters")}) {
                    if (params != null) {
                        params.stream().map(p -> resolve((JsonObject) p))
                                .filter(p -> "path".equals(p.getString("in")))
                                .forEach(p -> declared.add(p.getString("name")));
                    }
                }
                assertThat(declared).as("path parameters of %s %s", method, path).isEqualTo(inPath);
            }
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(pointer(ref)).as("target of %s", ref).isNotNull();
        }
    }

    private List<JsonObject> operations() {
        List<JsonObject> operations = new ArrayList<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            item.fieldNames().stream().filter(HTTP_METHODS::contains).forEach(m -> operations.add(item.getJsonObject(m)));
        }
        return operations;
    }

    private JsonObject resolve(JsonObject maybeRef) {
        String ref = maybeRef.getString("$ref");
        return ref == null ? maybeRef : (JsonObject) pointer(ref);
    }

    /** A local JSON pointer ({@code #/components/schemas/Index}); null if it leads nowhere. */
    private Object pointer(String ref) {
        Object node = document;
        for (String token : ref.substring(2).split("/")) {
            String key = token.replace("~1", "/").replace("~0", "~");
            if (!(node instanceof JsonObject object) || !object.containsKey(key)) {
                return null;
            }
            node = object.getValue(key);
        }
        return node;
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof JsonObject object) {
            object.forEach(e -> {
                if ("$ref".equals(e.getKey()) && e.getValue() instanceof String s) {
                    refs.add(s);
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node instanceof JsonArray array) {
            array.forEach(item -> collectRefs(item, refs));
        }
    }
}
