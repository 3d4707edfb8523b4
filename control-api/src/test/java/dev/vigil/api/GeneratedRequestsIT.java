package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.api.RobustnessIT.Answer;
import dev.vigil.api.RobustnessIT.Case;
import dev.vigil.kafka.embedded.EmbeddedKafka;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The generated-request suite: a property over every route × method × content type (JSON, form,
 * multipart, text, none, a wrong charset) × body (valid, one field wrong, garbage, truncated, invalid
 * UTF-8, deep, over the limit, form-encoded with bad escapes and long fields, multipart) × path (fixture
 * ids, junk ids and percent-escapes, odd whole targets, long queries) × headers (auth variants, junk,
 * oversized, Expect). Each try is one request on its own connection to a real control-api on port 0 and
 * a real embedded broker (this class's own: jqwik runs outside JUnit Jupiter's extensions).
 *
 * <p>The property: never a 5xx, never a redirect, an answer within {@link RobustnessIT#PER_REQUEST}
 * (no hang), and the JSON error envelope on every 4xx — oversized request lines and headers included.
 * After the run the server must still be ready and serve a normal create. The wire and the verdict are
 * {@link RobustnessIT}'s (which replays a fixed, seeded corpus); this suite explores around it.
 */
class GeneratedRequestsIT {

    private static final int TRIES = 10_000;

    private static EmbeddedKafka broker;
    private static ControlApiHarness api;
    private static final Map<String, String> ids = new LinkedHashMap<>();
    private static final List<String> routes = new ArrayList<>();
    private static final Map<Integer, Integer> statuses = new ConcurrentSkipListMap<>();
    private static final AtomicInteger sent = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        broker = EmbeddedKafka.forTests().start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            api = ControlApiHarness.start(broker.bootstrapServers(), admin, "gen-vigil.", Map.of());
        }
        Reply stream = api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/fixture"));
        ids.put("rid", stream.data().getString("id"));
        Reply index = api.alpha("POST", "/rtstream/" + ids.get("rid") + "/index/scene", new JsonObject().put("prompt", "Describe"));
        ids.put("iid", index.data().getString("rtstream_index_id"));
        Reply event = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "a person").put("label", "person"));
        ids.put("eid", event.data().getString("event_id"));
        Reply alert = api.alpha("POST", "/rtstream/" + ids.get("rid") + "/index/" + ids.get("iid") + "/alert",
                new JsonObject().put("event_id", ids.get("eid")));
        ids.put("aid", alert.data().getString("alert_id"));
        ids.put("cid", "default");
        ids.put("nid", dev.vigil.common.ids.Ids.notificationId(ids.get("aid"), "generated"));
        assertThat(ids.values()).doesNotContainNull();
        Router router = Router.router(api.vertx);
        api.service.mount(router);
        ControlApi.routes(router).stream()
                .filter(r -> !dev.vigil.api.dashboard.Dashboard.PATHS.contains(r.substring(r.indexOf(' ') + 1)))
                .forEach(routes::add);
        assertThat(routes).hasSizeGreaterThan(20);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            System.out.println("[GeneratedRequestsIT] " + sent.get() + " generated requests over " + routes.size()
                    + " routes; statuses " + statuses);
            // Still ready and still working after the storm.
            assertThat(api.service.isReady()).isTrue();
            Reply created = api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/after"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            assertThat(api.alpha("GET", "/rtstream/" + ids.get("rid"), null).status()).isEqualTo(200);
        } finally {
            if (api != null) {
                api.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void noGeneratedRequestGetsA5xxARedirectOrNoAnswer(@ForAll("requests") Case request) {
        Answer answer = RobustnessIT.exchange(api.port(), request);
        sent.incrementAndGet();
        statuses.merge(answer.status(), 1, Integer::sum);
        String problem = RobustnessIT.problem(request, answer);
        assertThat(problem).as(request.describe() + "\n answered " + answer.status() + " "
                + RobustnessIT.abbreviate(new String(answer.body(), StandardCharsets.UTF_8), 300)).isNull();
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> requests() {
        Arbitrary<String> route = Arbitraries.of(routes);
        return Combinators.combine(route, methodChoice(), pathChoice(), contentType(), body(), headers())
                .as((r, method, path, type, body, headers) -> build(r, method, path, type, body, headers));
    }

    /** null: the route's own method. */
    private static Arbitrary<String> methodChoice() {
        return Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just((String) null)),
                Tuple.of(3, Arbitraries.of(RobustnessIT.METHODS)));
    }

    /** How the route's path is filled in: a function from (path template) to target. */
    private static Arbitrary<java.util.function.UnaryOperator<String>> pathChoice() {
        Arbitrary<java.util.function.UnaryOperator<String>> fixtures = Arbitraries.just(GeneratedRequestsIT::fill);
        Arbitrary<java.util.function.UnaryOperator<String>> junkId = Arbitraries.oneOf(Arbitraries.of(RobustnessIT.JUNK_IDS),
                        percentJunk())
                .map(junk -> path -> fill(replaceOneParameter(path, junk)));
        Arbitrary<java.util.function.UnaryOperator<String>> whole = Arbitraries.of(RobustnessIT.WHOLE_TARGETS).map(t -> path -> t);
        Arbitrary<java.util.function.UnaryOperator<String>> query = Arbitraries.integers().between(1, 3_000)
                .map(n -> path -> fill(path) + "?" + "p=%ZZ&".repeat(n));
        Arbitrary<java.util.function.UnaryOperator<String>> randomPath = percentJunk().map(junk -> path -> "/" + junk);
        return Arbitraries.frequencyOf(Tuple.of(50, fixtures), Tuple.of(25, junkId), Tuple.of(10, whole), Tuple.of(8, query),
                Tuple.of(7, randomPath));
    }

    /** Strings of path-ish characters, bad escapes and raw non-ASCII (Latin-1 only: the wire writes one byte a char). */
    private static Arbitrary<String> percentJunk() {
        return Arbitraries.strings().withChars("/%.aZ09?&=#;~+-_:@!$'()*,\u00e9\u00ff\u0080")
                .ofMinLength(1).ofMaxLength(300)
                .edgeCases(config -> config.add("%").add("%Z").add("%%").add("%u0041").add("%C0%AF").add("%00"));
    }

    private static Arbitrary<String> contentType() {
        List<String> types = new ArrayList<>(List.of("application/json", "application/json", "application/json; charset=utf-8",
                "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "text/plain; charset=utf-8",
                "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8",
                "multipart/form-data; boundary=zz", "multipart/mixed; boundary=zz", "application/problem+json", "NONE"));
        RobustnessIT.CONTENT_TYPES.forEach(t -> types.add(t[0]));
        return Arbitraries.of(types);
    }

    /** A body as bytes, or null for none; a function of the route's template (null when it takes none). */
    private static Arbitrary<java.util.function.Function<JsonObject, byte[]>> body() {
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> none = Arbitraries.just(t -> null);
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> valid = Arbitraries.of(true, false)
                .map(ascii -> t -> bytes(RobustnessIT.encode(t == null ? new JsonObject() : t, ascii)));
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> oneWrong = Combinators.combine(
                Arbitraries.integers().between(0, 50), Arbitraries.of(RobustnessIT.WRONG_VALUES))
                .as((which, wrong) -> t -> {
                    JsonObject body = t == null ? new JsonObject() : t.copy();
                    List<String> fields = new ArrayList<>(body.fieldNames());
                    body.put(fields.isEmpty() ? "x" : fields.get(which % fields.size()), wrong);
                    return bytes(RobustnessIT.encode(body, which % 2 == 0));
                });
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> garbage = Arbitraries.strings()
                .withChars("{}[]\":,0123456789.eE+-truefalsn\\/ \t\n\u00e9\u200b\ud83d\ude00%=&")
                .ofMaxLength(400).map(g -> t -> bytes(g));
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> truncated = Arbitraries.integers().between(0, 400)
                .map(n -> t -> {
                    String full = RobustnessIT.encode(t == null ? new JsonObject().put("a", 1) : t, true);
                    return bytes(full.substring(0, Math.min(n, full.length())));
                });
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> rawBytes = Arbitraries.bytes().array(byte[].class)
                .ofMaxSize(300).map(b -> t -> b);
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> deep = Arbitraries.integers().between(1, 6_000)
                .map(n -> t -> bytes("[".repeat(n) + "]".repeat(n)));
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> form = Combinators.combine(
                Arbitraries.of("a=%ZZ", "a=%", "a=%u0041", "%=1", "a=1&b=%E2%82", "=&=&", "a"),
                Arbitraries.integers().between(0, 200_000))
                .as((pair, longField) -> t -> bytes(pair + "&long=" + "x".repeat(longField)));
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> multipart = Arbitraries.of(
                "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n%ZZ\r\n--zz--\r\n",
                "--zz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../x\"\r\nContent-Type: text/plain\r\n\r\nhi\r\n--zz--",
                "--zz\r\n\r\n", "--other\r\nbroken").map(m -> t -> bytes(m));
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> invalidUtf8 = Arbitraries.just(t -> concat(bytes("{\"name\":\""),
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, bytes("\"}")));
        Arbitrary<java.util.function.Function<JsonObject, byte[]>> overLimit = Arbitraries.just(
                t -> bytes("{\"name\":\"" + "y".repeat(1_100_000) + "\"}"));
        return Arbitraries.frequencyOf(Tuple.of(10, none), Tuple.of(20, valid), Tuple.of(20, oneWrong), Tuple.of(10, garbage),
                Tuple.of(8, truncated), Tuple.of(6, rawBytes), Tuple.of(3, deep), Tuple.of(10, form), Tuple.of(6, multipart),
                Tuple.of(5, invalidUtf8), Tuple.of(2, overLimit));
    }

    /** Auth and other headers; "ALPHA" stands for the valid key of the fixtures' tenant. */
    private static Arbitrary<List<String[]>> headers() {
        Arbitrary<List<String[]>> auth = Arbitraries.frequencyOf(
                Tuple.of(75, Arbitraries.just(List.<String[]>of(new String[] {"x-access-token", "ALPHA"}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of())),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"x-access-token", ControlApiHarness.BETA_KEY}))),
                Tuple.of(5, Arbitraries.strings().ofMaxLength(200).withChars("abc019 \u00e9\u00ff\t")
                        .map(k -> List.<String[]>of(new String[] {"x-access-token", k}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"x-access-token", "garbage"},
                        new String[] {"x-access-token", "ALPHA"}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"X-ACCESS-TOKEN", " ALPHA "}))));
        Arbitrary<List<String[]>> extra = Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.just(List.<String[]>of())),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"Expect", "100-continue"}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"Expect", "the-unexpected"}))),
                Tuple.of(5, Arbitraries.integers().between(1_000, 20_000)
                        .map(n -> List.<String[]>of(new String[] {"X-Long", "v".repeat(n)}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"X-Junk", "\u00ff\u00e9\u0080"},
                        new String[] {"Accept", "*/*;q=\u00ff"}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"Content-Encoding", "gzip"}))),
                Tuple.of(5, Arbitraries.just(List.<String[]>of(new String[] {"X-HTTP-Method-Override", "DELETE"}))));
        return Combinators.combine(auth, extra).as((a, e) -> {
            List<String[]> all = new ArrayList<>(a);
            all.addAll(e);
            return all;
        });
    }

    private static Case build(String route, String methodOverride, java.util.function.UnaryOperator<String> path, String type,
            java.util.function.Function<JsonObject, byte[]> bodyOf, List<String[]> headerTemplate) {
        String routeMethod = route.substring(0, route.indexOf(' ')).toUpperCase(Locale.ROOT);
        String method = methodOverride == null ? routeMethod : methodOverride;
        String target = path.apply(route.substring(route.indexOf(' ') + 1));
        JsonObject template = RobustnessIT.template(route);
        if (template != null && "EID".equals(template.getValue("event_id"))) {
            template.put("event_id", ids.get("eid"));
        }
        byte[] body = bodyOf.apply(template);
        // DELETE with the fixtures' own key would delete them: a deletion goes out as the other tenant (a 404).
        String key = method.equalsIgnoreCase("DELETE") ? ControlApiHarness.BETA_KEY : ControlApiHarness.ALPHA_KEY;
        List<String[]> headers = new ArrayList<>();
        for (String[] h : headerTemplate) {
            headers.add(new String[] {h[0], h[1].replace("ALPHA", key)});
        }
        if (!"NONE".equals(type) && body != null) {
            headers.add(new String[] {"Content-Type", type});
        }
        return new Case("generated " + route, method, target, headers, body);
    }

    private static String replaceOneParameter(String path, String junk) {
        Matcher param = Pattern.compile("\\{[a-z]+}").matcher(path);
        return param.find() ? path.substring(0, param.start()) + junk + path.substring(param.end()) : path + "/" + junk;
    }

    private static String fill(String path) {
        String filled = path;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            filled = filled.replace("{" + id.getKey() + "}", id.getValue());
        }
        return filled;
    }

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
}
