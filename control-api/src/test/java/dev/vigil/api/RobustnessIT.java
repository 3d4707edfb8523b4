package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throws malformed requests at every route the router serves and checks the API stays polite:
 * never a 5xx, never a redirect, a JSON error envelope on every 4xx, an answer within a bound, and a
 * working API afterwards.
 *
 * <p>Requests go over raw sockets (one connection each, {@code Connection: close}) so that nothing is
 * "fixed" by a client library: invalid percent escapes, raw bytes in the request line, duplicate and
 * non-ASCII headers, bodies that do not match their {@code Content-Type}. The cases are generated from
 * a fixed seed and shuffled with it, so a run is reproducible; a deadline bounds the run, and the
 * shuffled prefix that fits is what runs (at least {@value #MIN_REQUESTS} requests).
 *
 * <p>A request line or header block larger than Netty's limits is answered by the HTTP codec before any
 * router exists for it; the server built by {@code HttpEdge} answers those with the envelope too (414/431).
 * An empty codec answer (a server built without it) is counted and reported, not failed here; the
 * generated-request suite ({@link GeneratedRequestsIT}) fails it.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustnessIT {

    private static final Logger log = LoggerFactory.getLogger(RobustnessIT.class);

    private static final long SEED = 0x5EED_2026L;
    private static final int MIN_REQUESTS = 500;
    private static final Duration BUDGET = Duration.ofSeconds(20);
    static final Duration PER_REQUEST = Duration.ofSeconds(5);
    static final int HUGE = 100_000;
    /** Junk ids tried per path parameter (a seeded sample; every junk id still shows up across the routes). */
    private static final int JUNK_PER_PARAM = 24;
    private static final int CLIENTS = 4;

    /** A literal piece of JSON text, inserted as is (numbers no Java type can hold, odd escapes). */
    record Raw(String json) {
    }

    /** One request, exactly as bytes go on the wire. */
    record Case(String kind, String method, String target, List<String[]> headers, byte[] body) {
        String describe() {
            StringBuilder b = new StringBuilder(kind).append(": ").append(method).append(' ').append(abbreviate(target, 160));
            for (String[] h : headers) {
                b.append(" [").append(h[0]).append(": ").append(abbreviate(h[1], 60)).append(']');
            }
            if (body != null) {
                b.append(" body(").append(body.length).append(" B)=")
                        .append(abbreviate(new String(body, StandardCharsets.ISO_8859_1), 200));
            }
            return b.toString();
        }
    }

    /** What came back; status -1 when the connection failed or timed out. */
    record Answer(int status, Map<String, String> headers, byte[] body, long micros, String failure) {
    }

    private ControlApiHarness api;
    private Random random;
    private final Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        api = ControlApiHarness.start(kafka, Map.of());
        random = new Random(SEED);
        createFixtures();
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    @Test
    void noMalformedRequestGetsA5xxOrHangsAndTheApiStillWorksAfterwards() throws Exception {
        Set<String> routes = routes();
        long generating = System.nanoTime();
        List<Case> cases = generate(routes);
        Collections.shuffle(cases, random);
        long generatedMs = (System.nanoTime() - generating) / 1_000_000;

        List<String> offenders = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
        Map<String, Long> millisByKind = new ConcurrentSkipListMap<>();
        AtomicInteger codecAnswers = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicLong maxMicros = new AtomicLong();
        long started = System.nanoTime();
        long deadline = started + BUDGET.toNanos();
        // A few clients at once, taking cases in the seeded order; the deadline cuts the tail, never the first 500.
        Runnable client = () -> {
            for (int i = next.getAndIncrement(); i < cases.size(); i = next.getAndIncrement()) {
                if (i >= MIN_REQUESTS && System.nanoTime() > deadline) {
                    return;
                }
                Case c = cases.get(i);
                Answer answer = exchange(c);
                statuses.merge(answer.status(), 1, Integer::sum);
                millisByKind.merge(c.kind().split(" ")[0], answer.micros() / 1000, Long::sum);
                maxMicros.accumulateAndGet(answer.micros(), Math::max);
                String problem = problem(c, answer);
                if ("codec".equals(problem)) {
                    codecAnswers.incrementAndGet();
                } else if (problem != null) {
                    offenders.add(problem + "\n    request #" + i + ": " + c.describe() + "\n    answer: " + answer.status()
                            + " " + abbreviate(new String(answer.body(), StandardCharsets.UTF_8), 300));
                }
            }
        };
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            Thread thread = new Thread(client, "robustness-client-" + t);
            thread.start();
            clients.add(thread);
        }
        for (Thread t : clients) {
            t.join();
        }
        int sent = statuses.values().stream().mapToInt(Integer::intValue).sum();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String summary = String.format(Locale.ROOT,
                "%d malformed requests (of %d generated in %d ms, seed %d) over %d routes in %d ms with %d clients "
                        + "(slowest %d ms); statuses %s; %d answered by the HTTP codec (414/431); %d offenders",
                sent, cases.size(), generatedMs, SEED, routes.size(), took.toMillis(), CLIENTS, maxMicros.get() / 1000,
                statuses, codecAnswers.get(), offenders.size());
        log.info(summary);
        System.out.println("[RobustnessIT] " + summary);
        System.out.println("[RobustnessIT] cases by kind " + cases.stream().collect(Collectors.groupingBy(
                k -> k.kind().split(" ")[0], TreeMap::new, Collectors.counting())) + "; server ms by kind " + millisByKind);
        offenders.forEach(o -> System.out.println("[RobustnessIT] OFFENDER " + o));

        assertThat(offenders).as(summary + "\n" + String.join("\n", offenders)).isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(MIN_REQUESTS);

        // Still healthy: a normal create and read work, and the fixtures are intact.
        Reply created = api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/after")
                .put("name", "after-the-storm"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        Reply read = api.alpha("GET", "/rtstream/" + created.data().getString("id"), null);
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        assertThat(read.data().getString("name")).isEqualTo("after-the-storm");
        Reply alert = api.alpha("GET", "/rtstream/" + ids.get("rid") + "/index/" + ids.get("iid") + "/alert/" + ids.get("aid"), null);
        assertThat(alert.status()).as(alert.raw()).isEqualTo(200);
    }

    /** Regression: BodyHandler threw IllegalStateException (a 500) decoding a form body on a GET. */
    @Test
    void aGetWithAFormOrMultipartContentTypeIsServedNormally() {
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=zz")) {
            Answer answer = exchange(new Case("form GET", "GET", "/rtstream/" + ids.get("rid"),
                    List.of(alpha(), new String[] {"Content-Type", type}), bytes("a=1")));
            assertThat(answer.status()).as(type).isEqualTo(200);
            assertThat(new JsonObject(new String(answer.body(), StandardCharsets.UTF_8)).getJsonObject("data").getString("id"))
                    .isEqualTo(ids.get("rid"));
        }
    }

    /** Regression: an undecodable path got Vert.x's plain-text "Bad Request" instead of the JSON envelope. */
    @Test
    void anUndecodablePathGetsTheJsonErrorEnvelope() {
        for (String target : List.of("/rtstream/%ZZ", "/rtstream/%", "/rtstream/%u0041/status")) {
            Answer answer = exchange(new Case("bad escape", "GET", target, List.<String[]>of(alpha()), null));
            assertThat(answer.status()).as(target).isEqualTo(400);
            JsonObject json = new JsonObject(new String(answer.body(), StandardCharsets.UTF_8));
            assertThat(json.getBoolean("success")).isFalse();
            assertThat(json.getString("error_code")).isEqualTo("invalid_request");
        }
    }

    // ------------------------------------------------------------------ fixtures and routes

    private void createFixtures() throws Exception {
        Reply stream = api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/fixture").put("name", "fixture"));
        ids.put("rid", stream.data().getString("id"));
        Reply index = api.alpha("POST", "/rtstream/" + ids.get("rid") + "/index/scene", new JsonObject().put("prompt", "Describe"));
        ids.put("iid", index.data().getString("rtstream_index_id"));
        Reply event = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "a person").put("label", "person"));
        ids.put("eid", event.data().getString("event_id"));
        Reply alert = api.alpha("POST", "/rtstream/" + ids.get("rid") + "/index/" + ids.get("iid") + "/alert",
                new JsonObject().put("event_id", ids.get("eid")));
        ids.put("aid", alert.data().getString("alert_id"));
        ids.put("cid", "default");
        ids.put("nid", dev.vigil.common.ids.Ids.notificationId(ids.get("aid"), "robustness"));
        assertThat(ids.values()).doesNotContainNull();
    }

    /** The router's own list, e.g. {@code patch /rtstream/{rid}/status}. */
    private Set<String> routes() {
        Router router = Router.router(api.vertx);
        api.service.mount(router);
        Set<String> routes = new java.util.TreeSet<>(ControlApi.routes(router));
        // The dashboard's static files are not JSON and take no input: nothing to fuzz there.
        dev.vigil.api.dashboard.Dashboard.PATHS.forEach(path -> routes.remove("get " + path));
        assertThat(routes).hasSizeGreaterThan(20);
        return routes;
    }

    /** A valid body per bodied route; a new bodied route must add one here. */
    static JsonObject template(String route) {
        String ws = "wsc-0123456789abcdef";
        return switch (route) {
            case "post /rtstream" -> new JsonObject().put("collection_id", "default").put("url", "rtsp://camera.example.com/x")
                    .put("name", "n").put("media_types", new JsonArray().add("video")).put("sample_rate", 2).put("store", false)
                    .put("enable_transcript", false).put("ws_connection_id", ws);
            case "patch /rtstream/{rid}/status" -> new JsonObject().put("action", "start");
            case "post /rtstream/{rid}/transcription" -> new JsonObject().put("action", "start").put("engine", "assemblyai")
                    .put("ws_connection_id", ws);
            case "patch /rtstream/{rid}/transcription/status" -> new JsonObject().put("action", "start").put("socket_id", ws)
                    .put("mode", "graceful");
            case "post /rtstream/{rid}/index/scene" -> new JsonObject().put("extraction_type", "time")
                    .put("extraction_config", new JsonObject().put("time", 5).put("frame_count", 2).put("segmenter", "word")
                            .put("segmentation_value", 10))
                    .put("prompt", "Describe").put("model_name", null).put("model_config", new JsonObject()).put("name", "v")
                    .put("engine", "default").put("ws_connection_id", ws).put("socket_id", ws);
            case "patch /rtstream/{rid}/index/scene/{iid}/status" -> new JsonObject().put("action", "start");
            case "patch /rtstream/{rid}/index/scene/{iid}" -> new JsonObject().put("prompt", "Count cars").put("name", "cars");
            case "post /rtstream/event" -> new JsonObject().put("event_prompt", "a person").put("label", "person")
                    .put("condition", "counts.people >= 1");
            case "post /rtstream/{rid}/index/{iid}/alert" -> new JsonObject().put("event_id", "EID")
                    .put("callback_url", "https://hooks.example.com/x").put("ws_connection_id", ws).put("socket_id", ws)
                    .put("cooldown_s", 30);
            case "patch /rtstream/{rid}/index/{iid}/alert/{aid}/status" -> new JsonObject().put("action", "enable")
                    .put("status", "enabled");
            case "post /rtstream/{rid}/index/{iid}/alert/{aid}/secret" -> new JsonObject().put("grace_s", 60);
            case "post /rtstream/{rid}/export" -> new JsonObject().put("name", "gate export");
            // Takes no body: junk bodies must not matter.
            case "post /rtstream/{rid}/index/{iid}/alert/{aid}/deliveries/{nid}/replay" -> new JsonObject();
            case "post /rtstream/{rid}/search", "post /rtstream/collection/{cid}/search" -> new JsonObject()
                    .put("query", "person at the gate").put("scene_index_id", "0123456789abcdef").put("result_threshold", 5)
                    .put("score_threshold", 0.2).put("dynamic_score_percentage", 30).put("filter", new JsonArray())
                    .put("index_type", "scene");
            default -> null;
        };
    }

    // ------------------------------------------------------------------ case generation

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
            "FOO", "PROPFIND", "get");

    static final List<String> JUNK_IDS = List.of(
            "..%2F..%2Fetc%2Fpasswd", "..", ".", "%2e%2e", "%2E%2E%2F", "..%5C..%5Cwindows", "%252e%252e%252f",
            "%00", "a%00b", "%0d%0aX-Injected:%201", "%ZZ", "%", "%%", "%u0041", "%C0%AF", "%ED%A0%80", "%FF%FE",
            "%E2%80%8F%E2%80%AE", "%E2%80%8B", "%F0%9F%98%80", "\u00e9t\u00e9", "caf\u00c3\u00a9",
            "x".repeat(10_000), "0123456789abcdef".repeat(3), "0123456789ABCDEF", "0123456789abcdeg",
            "rts-00000000-0000-7000-8000-000000000000", "RTS-00000000-0000-7000-8000-000000000000",
            "rts-00000000-0000-4000-8000-000000000000", "event", "scene", "default", "collection", "alert", "status",
            ";", "a;b=c", "%3F", "%23", "~", "..;", "%20", "+", "null", "undefined", "-1", "1e999", "[]", "%7B%7D",
            "$%7Bjndi:ldap://x%7D", "'%20OR%201=1--", "%3Cscript%3E");

    private static final Set<String> DOT_SEGMENTS = Set.of("..", ".", "%2e%2e", "%2E%2E%2F");

    static final List<String> WHOLE_TARGETS = List.of(
            "/", "//", "///rtstream", "/rtstream//", "/rtstream/./", "/%2e%2e/rtstream", "/rtstream/..", "/rtstream/../collection/default",
            "/rtstream/%2F", "/rtstream/%2F%2F", "*", "http://127.0.0.1/rtstream", "/rtstream?limit=abc&limit=1",
            "/rtstream?limit=99999999999999999999", "/rtstream?offset=-1", "/rtstream?status=%00", "/rtstream?status=CONNECTED",
            "/rtstream?name=" + "n".repeat(300), "/rtstream?ordering=--created_at", "/rtstream?ordering=%00", "/rtstream?%ZZ=1",
            "/rtstream?a=%", "/rtstream?" + "p=1&".repeat(2_000), "/rtstream?limit=1e3", "/rtstream?limit=%20", "/rtstream?limit=-0",
            "/rtstream?offset=2147483648", "/rtstream?name=%E2%80%AE", "/collection?x=%F0%9F%98%80", "/openapi.json/..",
            "/OPENAPI.JSON", "/rtstream/event/", "/rtstream/event//", "/collection//websocket", "/nothing", "/%00", "/\u00e9");

    static final List<Object> WRONG_VALUES = wrongValues();

    private static List<Object> wrongValues() {
        List<Object> values = new ArrayList<>(List.of(
                "123", "-1", "1e3", "true", "null", "", " ", "\t\n", 123, -1, 0, 1.5, -0.0, 1e308,
                new Raw("1e400"), new Raw("-1e400"), new Raw("123456789012345678901234567890"), new Raw("0.1e-400"), new Raw("1E+2"),
                true, false, new Raw("null"), new JsonArray(), new JsonArray().add("video"), new JsonArray().addNull(),
                new JsonArray().add(new JsonArray()), new JsonObject(), new JsonObject().put("type", "time"),
                new JsonObject().put("a", new JsonObject().put("b", new JsonArray().add(1))),
                "x".repeat(HUGE), "\uD83D\uDE00".repeat(HUGE / 2), "\u200F\u202Ertsp://x", "\u200B", "\uFEFF",
                new Raw("\"\\ud800\""), new Raw("\"\\udfff\\ud800\""), new Raw("\"a\\u0000b\""), "\u0000", "\uD83D\uDE00",
                "../../etc/passwd", "file:///etc/passwd", "/etc/passwd", "rtsp://" + "h".repeat(HUGE), "http://169.254.169.254/latest",
                "http://[::1]/x", "https://hooks.example.com:99999/x", "javascript:alert(1)", "%00", "${jndi:ldap://x}",
                "' OR 1=1 --", "<script>alert(1)</script>", "wsc-0123456789ABCDEF", "wsc-", "START", "Enable", "enabled ",
                "transcript\u0000", "time_based", "shot"));
        return List.copyOf(values);
    }

    static final List<String[]> CONTENT_TYPES = List.of(
            new String[] {"text/plain"}, new String[] {"application/x-www-form-urlencoded"},
            new String[] {"multipart/form-data; boundary=zz"}, new String[] {"multipart/form-data"},
            new String[] {"application/xml"}, new String[] {"application/json; charset=utf-16"},
            new String[] {"application/json; charset=\u00ff"}, new String[] {"*/*"}, new String[] {";;;"},
            new String[] {"application/octet-stream"}, new String[] {""});

    private List<Case> generate(Set<String> routes) {
        List<Case> cases = new ArrayList<>();
        Map<String, Set<String>> methodsByPath = new LinkedHashMap<>();
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            methodsByPath.computeIfAbsent(parts[1], p -> new TreeSet<>()).add(parts[0].toUpperCase(Locale.ROOT));
        }
        Set<String> pathsDone = new TreeSet<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' ')).toUpperCase(Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            JsonObject template = template(route);
            if ((method.equals("POST") || method.equals("PATCH")) && template == null) {
                throw new AssertionError("add a template body for the new route " + route);
            }
            JsonObject body = template == null ? new JsonObject() : fill(template);
            String target = fill(path);
            // DELETE with every id valid and a good key would delete the fixtures: DELETE cases always carry junk.
            boolean destructive = method.equals("DELETE");

            bodyCases(cases, route, method, target, template, body);
            idCases(cases, route, method, path, body);
            for (String other : pathsDone.add(path) ? METHODS : List.<String>of()) {
                if (!methodsByPath.get(path).contains(other)) {
                    cases.add(new Case("method " + route, other, target, json(alpha()), bytes(encode(body, true))));
                }
            }
            authCases(cases, route, method, target, body, destructive);
            if (!destructive) {
                for (String[] type : CONTENT_TYPES) {
                    List<String[]> headers = new ArrayList<>();
                    headers.add(alpha());
                    headers.add(new String[] {"Content-Type", type[0]});
                    cases.add(new Case("content-type " + route, method, target, headers, bytes(encode(body, true))));
                }
                cases.add(new Case("empty body " + route, method, target, json(alpha()), new byte[0]));
                cases.add(new Case("no body " + route, method, target, List.<String[]>of(alpha()), null));
                cases.add(new Case("blank body " + route, method, target, json(alpha()), bytes("  \r\n\t ")));
            }
        }
        for (String whole : WHOLE_TARGETS) {
            cases.add(new Case("target", "GET", whole, List.<String[]>of(alpha()), null));
            cases.add(new Case("target", "POST", whole, json(alpha()), bytes("{}")));
        }
        return cases;
    }

    private void bodyCases(List<Case> cases, String route, String method, String target, JsonObject template, JsonObject body) {
        String kind = "body " + route;
        if (method.equals("DELETE")) {
            // Only junk that cannot be a valid request: a foreign key makes it harmless.
            cases.add(new Case(kind, method, target, json(beta()), bytes(encode(body, true) + "}")));
            return;
        }
        if (template != null) {
            for (String field : fieldPaths(template)) {
                List<Object> values = new ArrayList<>(WRONG_VALUES);
                Collections.shuffle(values, random);
                for (Object wrong : values.subList(0, 6)) {
                    JsonObject mutated = body.copy();
                    set(mutated, field, wrong);
                    cases.add(new Case(kind + " " + field, method, target, json(alpha()), bytes(encode(mutated, random.nextBoolean()))));
                }
            }
            JsonObject allNull = new JsonObject();
            body.fieldNames().forEach(f -> allNull.putNull(f));
            cases.add(new Case(kind + " all null", method, target, json(alpha()), bytes(allNull.encode())));
            JsonObject allArrays = new JsonObject();
            body.fieldNames().forEach(f -> allArrays.put(f, new JsonArray().add(body.getValue(f))));
            cases.add(new Case(kind + " all arrays", method, target, json(alpha()), bytes(allArrays.encode())));
        }
        String valid = encode(body, true);
        for (int i = 0; i < 6; i++) {
            cases.add(new Case(kind + " truncated", method, target, json(alpha()), bytes(valid.substring(0, random.nextInt(valid.length())))));
            cases.add(new Case(kind + " garbage", method, target, json(alpha()), bytes(garbage())));
        }
        for (String nonObject : List.of("[]", "123", "\"text\"", "null", "true", "[{}]", "{}{}", "{\"a\":1}x", "\uFEFF{}")) {
            cases.add(new Case(kind + " non-object", method, target, json(alpha()), bytes(nonObject)));
        }
        cases.add(new Case(kind + " deep arrays", method, target, json(alpha()), bytes("[".repeat(5_000) + "]".repeat(5_000))));
        cases.add(new Case(kind + " deep objects", method, target, json(alpha()),
                bytes("{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000))));
        cases.add(new Case(kind + " invalid utf-8", method, target, json(alpha()),
                concat(bytes("{\"name\":\""), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE}, bytes("\"}"))));
        cases.add(new Case(kind + " raw control chars", method, target, json(alpha()), bytes("{\"name\":\"a\u0000\u0001\u001f\"}")));
        cases.add(new Case(kind + " duplicate keys", method, target, json(alpha()),
                bytes(valid.replaceFirst("\\{", "{\"name\":1,\"action\":[],\"url\":{},"))));
        JsonObject many = body.copy();
        for (int i = 0; i < 2_000; i++) {
            many.put("k" + i, i);
        }
        cases.add(new Case(kind + " 2000 unknown keys", method, target, json(alpha()), bytes(many.encode())));
        JsonObject odd = body.copy().put("\u202E\u0000key", "\uD83D\uDE00".repeat(HUGE / 2)).put("", null);
        cases.add(new Case(kind + " odd unknown key", method, target, json(alpha()), bytes(encode(odd, random.nextBoolean()))));
        if (random.nextInt(4) == 0) {
            String big = "{\"name\":\"" + "y".repeat(1_200_000) + "\"}";
            cases.add(new Case(kind + " over the body limit", method, target, json(alpha()), bytes(big)));
        }
    }

    private void idCases(List<Case> cases, String route, String method, String path, JsonObject body) {
        Matcher params = Pattern.compile("\\{([a-z]+)}").matcher(path);
        while (params.find()) {
            String param = params.group(1);
            List<String> junkIds = new ArrayList<>(JUNK_IDS);
            Collections.shuffle(junkIds, random);
            for (String junk : junkIds.subList(0, JUNK_PER_PARAM)) {
                if (method.equals("DELETE") && DOT_SEGMENTS.contains(junk)) {
                    // Dot segments are resolved (RFC 3986): DELETE …/index/{iid}/alert/.. deletes the index.
                    continue;
                }
                String target = fill(path.replace("{" + param + "}", junk));
                cases.add(new Case("id " + param + " " + route, method, target, json(alpha()),
                        method.equals("GET") ? null : bytes(encode(body, true))));
            }
            // An id of another kind in this position (an event id where an rtstream id belongs, …).
            for (String other : List.of("rid", "iid", "eid", "aid")) {
                if (!other.equals(param) && !method.equals("DELETE")) {
                    String target = fill(path.replace("{" + param + "}", ids.get(other)));
                    cases.add(new Case("id kind " + param + "=" + other + " " + route, method, target, json(alpha()),
                            method.equals("GET") ? null : bytes(encode(body, true))));
                }
            }
        }
    }

    private void authCases(List<Case> cases, String route, String method, String target, JsonObject body, boolean destructive) {
        byte[] payload = method.equals("GET") || method.equals("DELETE") ? null : bytes(encode(body, true));
        List<List<String[]>> variants = new ArrayList<>();
        variants.add(List.of());
        variants.add(List.<String[]>of(new String[] {"x-access-token", ""}));
        variants.add(List.<String[]>of(new String[] {"x-access-token", "   "}));
        variants.add(List.<String[]>of(new String[] {"x-access-token", "garbage"}));
        variants.add(List.<String[]>of(new String[] {"x-access-token", "\u00ff\u00fe\u00e9\u0080"}));
        variants.add(List.<String[]>of(new String[] {"x-access-token", ControlApiHarness.ALPHA_KEY + "x"}));
        variants.add(List.<String[]>of(new String[] {"x-access-token", "k".repeat(10_000)}));
        variants.add(List.<String[]>of(new String[] {"Authorization", "Bearer " + ControlApiHarness.ALPHA_KEY}));
        variants.add(List.<String[]>of(beta()));
        if (!destructive) {
            variants.add(List.<String[]>of(new String[] {"x-access-token", "garbage"},
                    new String[] {"x-access-token", ControlApiHarness.ALPHA_KEY}));
            // Valid keys, spelled oddly: these may succeed, they must not fail badly.
            variants.add(List.<String[]>of(new String[] {"X-ACCESS-TOKEN", ControlApiHarness.ALPHA_KEY}));
            variants.add(List.<String[]>of(new String[] {"x-access-token", " " + ControlApiHarness.ALPHA_KEY + " "}));
        }
        for (List<String[]> auth : variants) {
            List<String[]> headers = new ArrayList<>(auth);
            if (payload != null) {
                headers.add(new String[] {"Content-Type", "application/json"});
            }
            cases.add(new Case("auth " + route, method, target, headers, payload));
        }
    }

    private String fill(String path) {
        String filled = path;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            filled = filled.replace("{" + id.getKey() + "}", id.getValue());
        }
        return filled;
    }

    private JsonObject fill(JsonObject template) {
        JsonObject body = template.copy();
        if ("EID".equals(body.getValue("event_id"))) {
            body.put("event_id", ids.get("eid"));
        }
        return body;
    }

    private static List<String> fieldPaths(JsonObject template) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, Object> e : template) {
            fields.add(e.getKey());
            if (e.getValue() instanceof JsonObject nested) {
                nested.fieldNames().forEach(n -> fields.add(e.getKey() + "." + n));
            }
        }
        return fields;
    }

    private static void set(JsonObject body, String field, Object value) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            body.put(field, value);
        } else {
            body.getJsonObject(field.substring(0, dot)).put(field.substring(dot + 1), value);
        }
    }

    private String garbage() {
        String alphabet = "{}[]\":,0123456789.eE+-truefalsn\\/ \t\n\u00e9\u200b\uD83D\uDE00";
        int length = 1 + random.nextInt(200);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String[] alpha() {
        return new String[] {"x-access-token", ControlApiHarness.ALPHA_KEY};
    }

    private static String[] beta() {
        return new String[] {"x-access-token", ControlApiHarness.BETA_KEY};
    }

    private static List<String[]> json(String[] auth) {
        return List.of(auth, new String[] {"Content-Type", "application/json"});
    }

    // ------------------------------------------------------------------ JSON text

    /**
     * JSON text with {@link Raw} pieces inserted verbatim; {@code asciiOnly} escapes every non-ASCII
     * char as {@code \\uXXXX} (Python's {@code json.dumps} default), otherwise they go out as UTF-8.
     */
    static String encode(Object value, boolean asciiOnly) {
        StringBuilder b = new StringBuilder();
        write(b, value, asciiOnly);
        return b.toString();
    }

    private static void write(StringBuilder b, Object value, boolean asciiOnly) {
        if (value == null) {
            b.append("null");
        } else if (value instanceof Raw raw) {
            b.append(raw.json());
        } else if (value instanceof JsonObject object) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : object) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                writeString(b, e.getKey(), asciiOnly);
                b.append(':');
                write(b, e.getValue(), asciiOnly);
            }
            b.append('}');
        } else if (value instanceof JsonArray array) {
            b.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(b, array.getValue(i), asciiOnly);
            }
            b.append(']');
        } else if (value instanceof String s) {
            writeString(b, s, asciiOnly);
        } else {
            b.append(value);
        }
    }

    private static void writeString(StringBuilder b, String s, boolean asciiOnly) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                String hex = Integer.toHexString(c);
                b.append("\\u").append("0000", hex.length(), 4).append(hex);
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    // ------------------------------------------------------------------ the wire

    private Answer exchange(Case c) {
        return exchange(api.port(), c);
    }

    /** Sends {@code c} on a new connection to 127.0.0.1:{@code port} and reads the whole answer, bounded by {@link #PER_REQUEST}. */
    static Answer exchange(int port, Case c) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        // ISO-8859-1 puts each char as one byte: raw non-ASCII in the request line and headers goes out as is.
        StringBuilder head = new StringBuilder();
        head.append(c.method()).append(' ').append(c.target()).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String[] h : c.headers()) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (c.body() != null) {
            head.append("Content-Length: ").append(c.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (c.body() != null) {
            request.writeBytes(c.body());
        }
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) PER_REQUEST.toMillis());
            socket.setSoTimeout((int) PER_REQUEST.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException e) {
                // The server may answer (e.g. 413) and close before the whole body is written; read what it said.
            }
            byte[] raw = readAll(socket.getInputStream(), started);
            return parse(raw, (System.nanoTime() - started) / 1000);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, Map.of(), new byte[0], (System.nanoTime() - started) / 1000,
                    "no answer within " + PER_REQUEST.toMillis() + " ms");
        } catch (IOException e) {
            return new Answer(-1, Map.of(), new byte[0], (System.nanoTime() - started) / 1000, "connection failed: " + e);
        }
    }

    private static byte[] readAll(InputStream in, long started) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16_384];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (System.nanoTime() - started > PER_REQUEST.toNanos()) {
                throw new SocketTimeoutException("answer not complete within the bound");
            }
        }
        return out.toByteArray();
    }

    private static Answer parse(byte[] raw, long micros) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        // A 100 Continue (the client sent Expect: 100-continue) is interim: the answer follows it.
        while (text.startsWith("HTTP/1.1 100 ") && text.indexOf("\r\n\r\n") > 0) {
            int interimEnd = text.indexOf("\r\n\r\n") + 4;
            raw = Arrays.copyOfRange(raw, interimEnd, raw.length);
            text = text.substring(interimEnd);
        }
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            return new Answer(-1, Map.of(), raw, micros, raw.length == 0 ? "connection closed without an answer" : "not HTTP");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body, micros, null);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (pos < text.length()) {
            int lineEnd = text.indexOf("\r\n", pos);
            int size = Integer.parseInt(text.substring(pos, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** Why {@code answer} is not acceptable for {@code c}; "codec" for the tolerated codec answers; null if fine. */
    static String problem(Case c, Answer answer) {
        if (answer.failure() != null) {
            return answer.failure();
        }
        int status = answer.status();
        if (status >= 500) {
            return "server error " + status;
        }
        if (status >= 300 && status < 400) {
            return "redirect " + status + " to " + answer.headers().get("location");
        }
        if (status < 200) {
            return "informational status " + status;
        }
        boolean head = c.method().equals("HEAD");
        if (head && (status == 414 || status == 431)) {
            // Refused by the codec: with a body when the method was not decoded yet, without when it was.
            return null;
        }
        if ((status == 414 || status == 431) && answer.body().length == 0) {
            return "codec";
        }
        if (head) {
            return answer.body().length == 0 ? null : "HEAD answered with a body";
        }
        if (c.target().startsWith("/openapi.json") && status == 200) {
            return null;
        }
        // The dashboard's page and files are HTML, JS and CSS by design, wherever a query string is added.
        String targetPath = c.target().split("\\?", 2)[0];
        if (dev.vigil.api.dashboard.Dashboard.PATHS.contains(targetPath) && status == 200) {
            return null;
        }
        JsonObject json;
        try {
            json = new JsonObject(new String(answer.body(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return "body is not a JSON object";
        }
        if (status >= 400) {
            if (!Boolean.FALSE.equals(json.getValue("success")) || !(json.getValue("message") instanceof String m) || m.isBlank()
                    || !(json.getValue("error_code") instanceof String code) || code.isBlank()) {
                return "4xx without the error envelope";
            }
            if (!String.valueOf(answer.headers().get("content-type")).startsWith("application/json")) {
                return "4xx without Content-Type application/json";
            }
            return null;
        }
        if (!Boolean.TRUE.equals(json.getValue("success")) || !(json.getValue("data") instanceof JsonObject)) {
            return "2xx without the success envelope";
        }
        return null;
    }

    // ------------------------------------------------------------------ small helpers

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String abbreviate(String s, int max) {
        String head = s.length() > max ? s.substring(0, max) : s;
        String printable = head.chars().mapToObj(ch -> ch < 0x20 || ch == 0x7f ? String.format(Locale.ROOT, "\\x%02x", ch)
                : ch > 0x7e ? String.format(Locale.ROOT, "\\u%04x", ch) : String.valueOf((char) ch)).collect(Collectors.joining());
        return s.length() <= max ? printable : printable + "…(" + s.length() + " chars)";
    }
}
