package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.common.auth.WsTickets;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Contract tests of every endpoint against the real broker: happy paths and each error status. */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiIT {

    private ControlApiHarness api;

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        api = ControlApiHarness.start(kafka, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    private String createStream(String name) throws Exception {
        Reply reply = api.alpha("POST", "/rtstream", new JsonObject().put("collection_id", "default")
                .put("url", "rtsp://camera.example.com/live").put("name", name).put("media_types", new JsonArray().add("video").add("audio")));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        return reply.data().getString("id");
    }

    private String createIndex(String rid) throws Exception {
        Reply reply = api.alpha("POST", "/rtstream/" + rid + "/index/scene", new JsonObject()
                .put("extraction_type", "time").put("extraction_config", new JsonObject().put("time", 5).put("frame_count", 2))
                .put("prompt", "Describe activity").put("name", "visual"));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        return reply.data().getString("rtstream_index_id");
    }

    private String createEvent(String prompt, String label) throws Exception {
        Reply reply = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", prompt).put("label", label));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
        return reply.data().getString("event_id");
    }

    private static void assertError(Reply reply, int status, String errorCode, String... messageParts) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
        assertThat(reply.json()).as("JSON error envelope: %s", reply.raw()).isNotNull();
        assertThat(reply.json().getBoolean("success")).isFalse();
        assertThat(reply.json().getString("error_code")).isEqualTo(errorCode);
        if (messageParts.length > 0) {
            assertThat(reply.json().getString("message")).contains(messageParts);
        }
    }

    @Nested
    class Auth {
        @Test
        void missingKeyIs401() throws Exception {
            assertError(api.call("GET", "/collection/default", null, null), 401, "unauthorized", "x-access-token");
        }

        @Test
        void unknownKeyIs401() throws Exception {
            assertError(api.call("GET", "/rtstream", "not-a-key", null), 401, "unauthorized", "unknown API key");
        }

        @Test
        void openApiNeedsNoKey() throws Exception {
            Reply reply = api.call("GET", "/openapi.json", null, null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("openapi")).startsWith("3.1");
        }
    }

    @Nested
    class Collections {
        @Test
        void defaultIsTheCallersOwnCollection() throws Exception {
            Reply reply = api.alpha("GET", "/collection/default", null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getBoolean("success")).isTrue();
            assertThat(reply.data().getString("id")).isEqualTo("alpha");
            assertThat(api.alpha("GET", "/collection/alpha", null).data().getString("id")).isEqualTo("alpha");
        }

        @Test
        void anotherTenantsCollectionIs404() throws Exception {
            assertError(api.alpha("GET", "/collection/beta", null), 404, "not_found", "collection");
        }

        @Test
        void websocketUrlCarriesAVerifiableTicketForTheCollection() throws Exception {
            Reply reply = api.alpha("GET", "/collection/default/websocket", null);
            assertThat(reply.status()).isEqualTo(200);
            URI url = URI.create(reply.data().getString("websocket_url"));
            assertThat(url.getScheme()).isEqualTo("ws");
            assertThat(url.getPath()).isEqualTo("/ws");
            String ticket = url.getQuery().replaceFirst("^ticket=", "");
            WsTickets tickets = new WsTickets(ControlApiHarness.TICKET_SECRET.getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(60), Clock.systemUTC());
            assertThat(tickets.verify(ticket).collectionId()).isEqualTo("alpha");
        }
    }

    @Nested
    class Streams {
        @Test
        void createGetListStopAndDelete() throws Exception {
            String rid = createStream("gate");
            assertThat(rid).startsWith("rts-");

            Reply got = api.alpha("GET", "/rtstream/" + rid, null);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.data().getString("name")).isEqualTo("gate");
            assertThat(got.data().getString("collection_id")).isEqualTo("alpha");
            assertThat(got.data().getString("status")).isEqualTo("connected");
            assertThat(got.data().getJsonArray("media_types")).containsExactly("video", "audio");
            assertThat(got.data().getJsonObject("ingest").getString("state")).isEqualTo("pending");

            Reply list = api.alpha("GET", "/rtstream?name=gat&limit=5", null);
            assertThat(list.data().getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("id"))).contains(rid);

            Reply stopped = api.alpha("PATCH", "/rtstream/" + rid + "/status", new JsonObject().put("action", "stop"));
            assertThat(stopped.status()).as(stopped.raw()).isEqualTo(200);
            assertThat(api.alpha("GET", "/rtstream/" + rid, null).data().getString("status")).isEqualTo("stopped");
            assertThat(api.alpha("GET", "/rtstream?status=stopped", null).data().getJsonArray("results").stream()
                    .map(o -> ((JsonObject) o).getString("id"))).contains(rid);

            assertThat(api.alpha("DELETE", "/rtstream/" + rid, null).status()).isEqualTo(200);
            assertError(api.alpha("GET", "/rtstream/" + rid, null), 404, "not_found", rid);
        }

        @Test
        void defaultsApplyWhenOptionalFieldsAreNull() throws Exception {
            Reply reply = api.alpha("POST", "/rtstream", new JsonObject().put("collection_id", "default")
                    .put("url", "rtmp://live.example.com/app/key").put("name", "n").put("sample_rate", null)
                    .put("store", null).put("enable_transcript", null).put("ws_connection_id", null).put("media_types", null));
            assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
            assertThat(reply.data().getInteger("sample_rate")).isEqualTo(2);
            assertThat(reply.data().getJsonArray("media_types")).containsExactly("video");
        }

        @Test
        void realtimeIsLeftToTheWorkerUnlessTheStreamChooses() throws Exception {
            Reply auto = api.alpha("POST", "/rtstream", new JsonObject().put("url", "https://media.example.com/clip.mp4"));
            assertThat(auto.status()).as(auto.raw()).isEqualTo(201);
            assertThat(auto.data().containsKey("realtime")).isTrue();
            assertThat(auto.data().getValue("realtime")).isNull();

            Reply chosen = api.alpha("POST", "/rtstream", new JsonObject().put("url", "https://media.example.com/clip.mp4")
                    .put("realtime", false));
            assertThat(chosen.status()).as(chosen.raw()).isEqualTo(201);
            assertThat(api.alpha("GET", "/rtstream/" + chosen.data().getString("id"), null).data().getBoolean("realtime")).isFalse();

            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "https://media.example.com/clip.mp4")
                    .put("realtime", "sometimes")), 400, "invalid_request", "'realtime'");
        }

        @Test
        void rejectsBadFieldsNamingEachOne() throws Exception {
            Reply reply = api.alpha("POST", "/rtstream", new JsonObject().put("url", "ftp://x/y").put("sample_rate", "fast")
                    .put("media_types", new JsonArray().add("smell")));
            assertError(reply, 400, "invalid_request", "'url'", "'sample_rate'", "'media_types'");
        }

        @Test
        void rejectsMissingUrlAndLocalFiles() throws Exception {
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("name", "x")), 400, "invalid_request", "'url' is required");
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "file:///etc/passwd")), 400,
                    "invalid_request", "local files are not enabled");
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "/etc/passwd")), 400,
                    "invalid_request", "local files are not enabled");
        }

        @Test
        void refusesStreamUrlsPointingInsideTheNetwork() throws Exception {
            // Checked at creation (and again by the ingest worker before each connection).
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "http://169.254.169.254/latest/meta-data/")),
                    400, "invalid_request", "169.254.169.254");
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "http://[::ffff:169.254.169.254]/latest/")),
                    400, "invalid_request", "169.254.169.254");
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://2130706433/live")),
                    400, "invalid_request", "would be read as 127.0.0.1");
            assertError(api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://admin:pw@127.0.0.1:8554/live")),
                    400, "invalid_request", "loopback", "VIGIL_SOURCES_ALLOW_PRIVATE");
        }

        @Test
        void anotherTenantCannotSeeOrTouchAStream() throws Exception {
            String rid = createStream("private");
            assertError(api.beta("GET", "/rtstream/" + rid, null), 404, "not_found");
            assertError(api.beta("PATCH", "/rtstream/" + rid + "/status", new JsonObject().put("action", "stop")), 404, "not_found");
            assertError(api.beta("DELETE", "/rtstream/" + rid, null), 404, "not_found");
            assertThat(api.beta("GET", "/rtstream", null).data().getJsonArray("results").stream()
                    .map(o -> ((JsonObject) o).getString("id"))).doesNotContain(rid);
            assertError(api.beta("POST", "/rtstream", new JsonObject().put("collection_id", "alpha")
                    .put("url", "rtsp://h/x")), 404, "not_found", "collection");
            assertThat(api.alpha("GET", "/rtstream/" + rid, null).data().getString("status")).isEqualTo("connected");
        }

        @Test
        void unknownAndMalformedIdsAre404() throws Exception {
            assertError(api.alpha("GET", "/rtstream/rts-00000000-0000-7000-8000-000000000000", null), 404, "not_found");
            assertError(api.alpha("GET", "/rtstream/..%2F..%2Fetc%2Fpasswd", null), 404, "not_found");
        }

        @Test
        void badStatusActionAndBadQueriesAre400() throws Exception {
            String rid = createStream("q");
            assertError(api.alpha("PATCH", "/rtstream/" + rid + "/status", new JsonObject().put("action", "explode")),
                    400, "invalid_request", "'action'");
            assertError(api.alpha("GET", "/rtstream?limit=0", null), 400, "invalid_request", "limit");
            assertError(api.alpha("GET", "/rtstream?ordering=color", null), 400, "invalid_request", "ordering");
        }

        @Test
        void transcriptionStartsAndStopsTheStreamsTranscriptIndex() throws Exception {
            String rid = createStream("talk");
            Reply started = api.alpha("POST", "/rtstream/" + rid + "/transcription",
                    new JsonObject().put("action", "start").put("engine", "assemblyai"));
            assertThat(started.status()).as(started.raw()).isEqualTo(200);
            assertThat(started.data().getString("status")).isEqualTo("running");
            String iid = started.data().getString("rtstream_index_id");

            Reply stopped = api.alpha("POST", "/rtstream/" + rid + "/transcription", new JsonObject().put("action", "stop"));
            assertThat(stopped.data().getString("status")).isEqualTo("stopped");
            assertThat(stopped.data().getString("rtstream_index_id")).isEqualTo(iid);

            Reply index = api.alpha("GET", "/rtstream/" + rid + "/index/" + iid, null);
            assertThat(index.data().getString("index_type")).isEqualTo("transcript");
            assertThat(index.data().getString("status")).isEqualTo("stopped");
        }
    }

    @Nested
    class Indexes {
        @Test
        void createListGetStopUpdateAndDelete() throws Exception {
            String rid = createStream("idx");
            String iid = createIndex(rid);
            assertThat(iid).matches("[0-9a-f]{16}");

            Reply got = api.alpha("GET", "/rtstream/" + rid + "/index/" + iid, null);
            assertThat(got.data().getString("index_type")).isEqualTo("scene");
            assertThat(got.data().getJsonObject("extraction_config")).isEqualTo(new JsonObject().put("frame_count", 2).put("time", 5));
            assertThat(got.data().getString("status")).isEqualTo("connected");

            Reply audio = api.alpha("POST", "/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "transcript")
                    .put("extraction_config", new JsonObject().put("segmenter", "word").put("segmentation_value", 50)));
            assertThat(audio.status()).as(audio.raw()).isEqualTo(201);
            assertThat(audio.data().getString("index_type")).isEqualTo("audio");

            Reply list = api.alpha("GET", "/rtstream/" + rid + "/index/scene", null);
            assertThat(list.data().getJsonArray("scene_indexes")).hasSize(2);

            Reply stopped = api.alpha("PATCH", "/rtstream/" + rid + "/index/scene/" + iid + "/status", new JsonObject().put("action", "stop"));
            assertThat(stopped.data().getString("status")).isEqualTo("stopped");
            Reply updated = api.alpha("PATCH", "/rtstream/" + rid + "/index/scene/" + iid, new JsonObject().put("prompt", "Count cars"));
            assertThat(updated.data().getString("prompt")).isEqualTo("Count cars");

            assertThat(api.alpha("DELETE", "/rtstream/" + rid + "/index/" + iid, null).status()).isEqualTo(200);
            assertError(api.alpha("GET", "/rtstream/" + rid + "/index/" + iid, null), 404, "not_found", "index");
        }

        @Test
        void nullConfigGetsVideoDbDefaults() throws Exception {
            String rid = createStream("defaults");
            Reply reply = api.alpha("POST", "/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "time")
                    .put("extraction_config", null).put("prompt", null).put("model_name", null).put("model_config", new JsonObject()).put("name", null));
            assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
            assertThat(reply.data().getJsonObject("extraction_config")).isEqualTo(new JsonObject().put("frame_count", 5).put("time", 2));
            assertThat(reply.data().getString("prompt")).isEqualTo("Describe the scene");
        }

        @Test
        void rejectsBadExtractionSettings() throws Exception {
            String rid = createStream("bad-idx");
            assertError(api.alpha("POST", "/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "smell")),
                    400, "invalid_request", "'extraction_type'");
            assertError(api.alpha("POST", "/rtstream/" + rid + "/index/scene", new JsonObject()
                    .put("extraction_config", new JsonObject().put("time", -3))), 400, "invalid_request", "extraction_config.time");
            assertError(api.alpha("POST", "/rtstream/" + rid + "/index/scene", new JsonObject().put("extraction_type", "transcript")
                    .put("extraction_config", new JsonObject().put("segmenter", "paragraph"))), 400, "invalid_request", "segmenter");
        }

        @Test
        void indexOfAnotherStreamOrTenantIs404() throws Exception {
            String rid = createStream("a");
            String other = createStream("b");
            String iid = createIndex(rid);
            assertError(api.alpha("GET", "/rtstream/" + other + "/index/" + iid, null), 404, "not_found", "index");
            assertError(api.beta("GET", "/rtstream/" + rid + "/index/" + iid, null), 404, "not_found");
            assertError(api.alpha("GET", "/rtstream/" + rid + "/index/not-an-id", null), 404, "not_found");
        }
    }

    @Nested
    class Events {
        @Test
        void promptIsCompiledToAVisibleCondition() throws Exception {
            Reply reply = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "Detect intruder").put("label", "intrusion"));
            assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
            assertThat(reply.data().getString("event_id")).matches("[0-9a-f]{16}");
            assertThat(reply.data().getString("condition")).contains("counts.people >= 1");
            assertThat(reply.data().getString("condition_origin")).isEqualTo("prompt");

            String id = reply.data().getString("event_id");
            assertThat(api.alpha("GET", "/rtstream/event/" + id, null).data().getString("label")).isEqualTo("intrusion");
            assertThat(api.alpha("GET", "/rtstream/event", null).data().getJsonArray("events").stream()
                    .map(o -> ((JsonObject) o).getString("event_id"))).contains(id);
            assertThat(api.beta("GET", "/rtstream/event", null).data().getJsonArray("events").stream()
                    .map(o -> ((JsonObject) o).getString("event_id"))).doesNotContain(id);
            assertError(api.beta("GET", "/rtstream/event/" + id, null), 404, "not_found");
        }

        @Test
        void explicitConditionIsKeptAsGiven() throws Exception {
            Reply reply = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "two people")
                    .put("label", "pair").put("condition", "channel == 'scene_index' && counts.people == 2"));
            assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
            assertThat(reply.data().getString("condition")).isEqualTo("channel == 'scene_index' && counts.people == 2");
            assertThat(reply.data().getString("condition_origin")).isEqualTo("explicit");
        }

        @Test
        void uncompilablePromptOrConditionIs422WithTheCompilersMessage() throws Exception {
            Reply prompt = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "the stock price of bananas rises").put("label", "x"));
            assertThat(prompt.status()).as(prompt.raw()).isEqualTo(422);
            assertThat(prompt.json().getString("error_code")).isEqualTo("prompt_not_understood");
            assertThat(prompt.json().getString("message")).contains("VIGIL_MODEL_TEXT", "VIGIL_MODEL_BASE_URL", "is closest to");

            // Understood, but no offline engine counts vehicles: a condition that could never fire is refused.
            Reply vehicle = api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "a car in the driveway").put("label", "car"));
            assertThat(vehicle.status()).as(vehicle.raw()).isEqualTo(422);
            assertThat(vehicle.json().getString("error_code")).isEqualTo("prompt_not_understood");
            assertThat(vehicle.json().getString("message")).contains("asks about vehicles, which no offline engine reports",
                    "VIGIL_MODEL_VISION", "VIGIL_MODEL_TEXT", "The prompt vocabulary understands");

            Reply condition = api.alpha("POST", "/rtstream/event", new JsonObject().put("label", "x").put("condition", "counts.people >"));
            assertThat(condition.status()).isEqualTo(422);
            assertThat(condition.json().getString("error_code")).isEqualTo("invalid_condition");
        }

        @Test
        void missingLabelIs400() throws Exception {
            assertError(api.alpha("POST", "/rtstream/event", new JsonObject().put("event_prompt", "person")), 400, "invalid_request", "'label'");
        }

        @Test
        void alertThatCanNeverFireIs422SayingWhy() throws Exception {
            String rid = createStream("never");
            String iid = createIndex(rid);
            String base = "/rtstream/" + rid + "/index/" + iid + "/alert";

            String room = createEvent("More than three people in the room", "crowd");
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", room)), 422, "alert_never_fires",
                    "zone \"room\"", "it defines no zones");
            String help = createEvent("someone asks for help", "help");
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", help)), 422, "alert_never_fires",
                    "fires only on audio_index or transcript records", "this index (scene_index)");
            assertThat(api.alpha("GET", base, null).data().getJsonArray("alerts")).isEmpty();
        }

        @Test
        void eventInUseCannotBeDeleted() throws Exception {
            String rid = createStream("ev");
            String iid = createIndex(rid);
            String eid = createEvent("someone", "person");
            Reply alert = api.alpha("POST", "/rtstream/" + rid + "/index/" + iid + "/alert", new JsonObject().put("event_id", eid));
            assertThat(alert.status()).as(alert.raw()).isEqualTo(201);
            assertError(api.alpha("DELETE", "/rtstream/event/" + eid, null), 409, "conflict", alert.data().getString("alert_id"));

            api.alpha("DELETE", "/rtstream/" + rid + "/index/" + iid + "/alert/" + alert.data().getString("alert_id"), null);
            assertThat(api.alpha("DELETE", "/rtstream/event/" + eid, null).status()).isEqualTo(200);
        }
    }

    @Nested
    class Alerts {
        @Test
        void createListDisableEnableAndDelete() throws Exception {
            String rid = createStream("al");
            String iid = createIndex(rid);
            String eid = createEvent("Detect intruder", "intrusion");
            String base = "/rtstream/" + rid + "/index/" + iid + "/alert";

            Reply created = api.alpha("POST", base, new JsonObject().put("event_id", eid)
                    .put("callback_url", "https://hooks.example.com/vigil").put("ws_connection_id", null));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String aid = created.data().getString("alert_id");
            assertThat(created.data().getString("webhook_secret")).startsWith("whsec_");
            assertThat(created.data().getString("status")).isEqualTo("enabled");

            JsonArray alerts = api.alpha("GET", base, null).data().getJsonArray("alerts");
            assertThat(alerts).hasSize(1);
            JsonObject listed = alerts.getJsonObject(0);
            assertThat(listed.getString("alert_id")).isEqualTo(aid);
            assertThat(listed.getString("label")).isEqualTo("intrusion");
            assertThat(listed.getString("webhook_secret")).as("secret shown only once").isNull();

            assertThat(api.alpha("PATCH", base + "/" + aid + "/status", new JsonObject().put("action", "disable"))
                    .data().getString("status")).isEqualTo("disabled");
            assertThat(api.alpha("GET", base + "/" + aid, null).data().getString("status")).isEqualTo("disabled");
            assertThat(api.alpha("PATCH", base + "/" + aid + "/status", new JsonObject().put("status", "enabled"))
                    .data().getString("status")).isEqualTo("enabled");

            assertThat(api.alpha("DELETE", base + "/" + aid, null).status()).isEqualTo(200);
            assertError(api.alpha("GET", base + "/" + aid, null), 404, "not_found", "alert");
        }

        @Test
        void callbackUrlsPassTheSsrfGuard() throws Exception {
            String rid = createStream("ssrf");
            String iid = createIndex(rid);
            String eid = createEvent("motion", "moving");
            String base = "/rtstream/" + rid + "/index/" + iid + "/alert";
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", eid).put("callback_url", "http://intranet.example.com/x")),
                    400, "invalid_request", "callback_url");
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", eid).put("callback_url", "http://127.0.0.1:8080/x")),
                    400, "invalid_request", "callback_url");
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", eid).put("callback_url", "ftp://hooks.example.com/x")),
                    400, "invalid_request", "callback_url");
        }

        @Test
        void unknownOrForeignEventIs404AndBadStatusIs400() throws Exception {
            String rid = createStream("ev404");
            String iid = createIndex(rid);
            String base = "/rtstream/" + rid + "/index/" + iid + "/alert";
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", "0123456789abcdef")), 404, "not_found", "event");
            String foreign = api.beta("POST", "/rtstream/event", new JsonObject().put("event_prompt", "person").put("label", "p"))
                    .data().getString("event_id");
            assertError(api.alpha("POST", base, new JsonObject().put("event_id", foreign)), 404, "not_found", "event");

            String eid = createEvent("person", "p");
            String aid = api.alpha("POST", base, new JsonObject().put("event_id", eid)).data().getString("alert_id");
            assertError(api.alpha("PATCH", base + "/" + aid + "/status", new JsonObject().put("action", "pause")), 400, "invalid_request", "'action'");
            assertError(api.alpha("PATCH", base + "/" + aid + "/status", new JsonObject()), 400, "invalid_request", "'action'");
        }
    }

    @Nested
    class Http {
        @Test
        void malformedJsonIs400() throws Exception {
            assertError(api.alpha("POST", "/rtstream", "{\"url\": "), 400, "invalid_json");
            assertError(api.alpha("POST", "/rtstream", "[1,2]"), 400, "invalid_json", "object");
        }

        @Test
        void bodyOverOneMegabyteIs413() throws Exception {
            String huge = new JsonObject().put("url", "rtsp://h/x").put("name", "x".repeat(1_100_000)).encode();
            assertError(api.alpha("POST", "/rtstream", huge), 413, "payload_too_large");
        }

        @Test
        void wrongMethodIs405AndUnknownPathIs404() throws Exception {
            assertError(api.alpha("PUT", "/rtstream", "{}"), 405, "method_not_allowed");
            assertError(api.alpha("GET", "/nothing/here", null), 404, "not_found");
        }

        @Test
        void trailingAndDoubleSlashesAreTolerated() throws Exception {
            Reply created = api.alpha("POST", "/rtstream/", new JsonObject().put("url", "rtsp://h/x").put("name", "slash"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String rid = created.data().getString("id");
            assertThat(api.alpha("GET", "//rtstream/" + rid + "/", null).status()).isEqualTo(200);
            assertThat(api.alpha("PATCH", "/rtstream/" + rid + "/status/", new JsonObject().put("action", "stop")).status()).isEqualTo(200);
        }
    }
}
