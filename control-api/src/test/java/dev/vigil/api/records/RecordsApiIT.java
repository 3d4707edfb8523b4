package dev.vigil.api.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.records.RecordsApiHarness.Reply;
import dev.vigil.schemas.index.TranscriptWord;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.Eventually;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records and search endpoints over real HTTP, fed through the real broker: records produced to
 * the index topics as the indexers produce them, read back through the API. Each test uses its own
 * streams, so the tests share one instance without seeing each other's records.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordsApiIT {

    private static final Logger log = LoggerFactory.getLogger(RecordsApiIT.class);
    /** 2024-03-09T16:00:00Z: record times are epoch milliseconds, the API's Unix seconds. */
    private static final long T0 = 1_710_000_000_000L;

    private RecordsApiHarness api;

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        api = RecordsApiHarness.start(kafka);
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    private String startTranscript(String rid) {
        Reply reply = api.alphaPost("/rtstream/" + rid + "/transcription", new JsonObject().put("action", "start"));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.data().getString("rtstream_index_id");
    }

    private Reply awaitTranscription(String path, int count) {
        return Eventually.await().until(() -> api.alphaGet(path),
                r -> r.status() == 200 && r.data().getLong("total_count") == count);
    }

    private static List<Double> starts(JsonArray records) {
        List<Double> starts = new ArrayList<>();
        records.forEach(r -> starts.add(((JsonObject) r).getDouble("start")));
        return starts;
    }

    private static void assertError(Reply reply, int status, String code, String messagePart) {
        assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
        assertThat(reply.json().getBoolean("success")).isFalse();
        assertThat(reply.json().getString("error_code")).isEqualTo(code);
        assertThat(reply.json().getString("message")).contains(messagePart);
    }

    @Test
    void serviceIsReadyOnceTheStoreHasCaughtUp() {
        Eventually.await().until(api.service::isReady);
        assertThat(api.service.records().isReady()).isTrue();
    }

    @Test
    void transcriptRecordsAppearInStartOrderAndPageCorrectly() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "paging");
        String tid = startTranscript(rid);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(9));
        for (int i : order) {
            api.transcript("alpha", rid, tid, T0 + i * 2_000L, T0 + i * 2_000L + 1_500, "utterance number " + i);
        }
        String base = "/rtstream/" + rid + "/transcription?page_size=10";
        awaitTranscription(base, 25);

        Reply first = api.alphaGet(base + "&page=1");
        log.info("GET {}&page=1 -> {}", base, first.raw().substring(0, Math.min(600, first.raw().length())));
        JsonObject data = first.data();
        assertThat(data.getInteger("page")).isEqualTo(1);
        assertThat(data.getInteger("page_size")).isEqualTo(10);
        assertThat(data.getBoolean("next_page")).isTrue();
        JsonObject record = data.getJsonArray("transcription_records").getJsonObject(0);
        assertThat(record.getDouble("start")).isEqualTo(1_710_000_000.0);
        assertThat(record.getDouble("end")).isEqualTo(1_710_000_001.5);
        assertThat(record.getString("text")).isEqualTo("utterance number 0");
        assertThat(record.getString("rtstream_index_id")).isEqualTo(tid);

        List<Double> all = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonObject p = api.alphaGet(base + "&page=" + page).data();
            all.addAll(starts(p.getJsonArray("transcription_records")));
            assertThat(p.getBoolean("next_page")).isEqualTo(page < 3);
        }
        assertThat(all).hasSize(25).isSorted().doesNotHaveDuplicates();
        assertThat(api.alphaGet(base + "&page=4").data().getJsonArray("transcription_records")).isEmpty();
        // VideoDB's default page size is 100.
        assertThat(api.alphaGet("/rtstream/" + rid + "/transcription").data().getJsonArray("transcription_records")).hasSize(25);
    }

    @Test
    void wordTimestampsOfATranscriptionModelComeBackInGetTranscript() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "words");
        String tid = startTranscript(rid);
        String sentence = "the delivery truck is parked";
        List<TranscriptWord> words = new ArrayList<>();
        String[] spoken = sentence.split(" ");
        for (int i = 0; i < spoken.length; i++) {
            words.add(new TranscriptWord(spoken[i], java.time.Instant.ofEpochMilli(T0 + i * 300L),
                    java.time.Instant.ofEpochMilli(T0 + i * 300L + 250)));
        }
        api.transcript("alpha", rid, tid, T0, T0 + 1_500, sentence, words);
        api.transcript("alpha", rid, tid, T0 + 2_000, T0 + 3_000, "help", null); // an offline engine: no word times
        JsonArray records = awaitTranscription("/rtstream/" + rid + "/transcription", 2).data()
                .getJsonArray("transcription_records");
        log.info("word_timestamps -> {}", records.getJsonObject(0).getJsonArray("word_timestamps").encode());
        JsonArray times = records.getJsonObject(0).getJsonArray("word_timestamps");
        assertThat(times).hasSize(5);
        List<String> said = new ArrayList<>();
        times.forEach(w -> said.add(((JsonObject) w).getString("word")));
        assertThat(String.join(" ", said)).isEqualTo(sentence);
        JsonObject parked = times.getJsonObject(4);
        assertThat(parked.getDouble("start")).isEqualTo(1_710_000_001.2);
        assertThat(parked.getDouble("end")).isEqualTo(1_710_000_001.45);
        assertThat(records.getJsonObject(1).getJsonArray("word_timestamps")).isEmpty();
    }

    @Test
    void startAndEndSelectRecordsOverlappingTheWindow() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "window");
        for (int i = 0; i < 10; i++) {
            api.transcript("alpha", rid, "tx", T0 + i * 10_000L, T0 + i * 10_000L + 5_000, "sentence " + i);
        }
        awaitTranscription("/rtstream/" + rid + "/transcription", 10);
        // Records cover [10i, 10i+5] s after T0: [20, 40] overlaps i = 2, 3, 4.
        Reply reply = api.alphaGet("/rtstream/" + rid + "/transcription?start=1710000020&end=1710000040");
        assertThat(starts(reply.data().getJsonArray("transcription_records")))
                .containsExactly(1_710_000_020.0, 1_710_000_030.0, 1_710_000_040.0);
        assertThat(reply.data().getLong("total_count")).isEqualTo(3);
        // Fractions of a second count: [25.5, 29.9] touches none.
        assertThat(api.alphaGet("/rtstream/" + rid + "/transcription?start=1710000025.5&end=1710000029.9").data()
                .getJsonArray("transcription_records")).isEmpty();
        assertThat(starts(api.alphaGet("/rtstream/" + rid + "/transcription?start=1710000086").data()
                .getJsonArray("transcription_records"))).containsExactly(1_710_000_090.0);
    }

    @Test
    void sinceReturnsOnlyRecordsNewerThanTheLastOneSeen() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "polling");
        for (int i = 0; i < 3; i++) {
            api.transcript("alpha", rid, "tx", T0 + i * 1_000L, T0 + i * 1_000L + 900, "first batch " + i);
        }
        String path = "/rtstream/" + rid + "/transcription";
        JsonArray seen = awaitTranscription(path, 3).data().getJsonArray("transcription_records");
        double last = seen.getJsonObject(2).getDouble("start");
        assertThat(api.alphaGet(path + "?since=" + last).data().getJsonArray("transcription_records")).isEmpty();

        api.transcript("alpha", rid, "tx", T0 + 3_000, T0 + 3_900, "second batch 3");
        api.transcript("alpha", rid, "tx", T0 + 4_000, T0 + 4_900, "second batch 4");
        Reply next = Eventually.await().until(() -> api.alphaGet(path + "?since=" + last),
                r -> r.data().getJsonArray("transcription_records").size() == 2);
        JsonArray records = next.data().getJsonArray("transcription_records");
        assertThat(records.getJsonObject(0).getString("text")).isEqualTo("second batch 3");
        assertThat(records.getJsonObject(1).getString("text")).isEqualTo("second batch 4");
        assertThat(next.data().getBoolean("next_page")).isFalse();
    }

    @Test
    void sceneRecordsAreThoseOfTheAskedIndex() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "scenes");
        String visual = api.createIndex(RecordsApiHarness.ALPHA_KEY, rid, "time", "visual");
        String audio = api.createIndex(RecordsApiHarness.ALPHA_KEY, rid, "transcript", "audio");
        for (int i = 0; i < 3; i++) {
            api.scene("alpha", rid, visual, T0 + i * 5_000L, T0 + i * 5_000L + 5_000, "1 person, motion in zone " + i,
                    List.of("person", "motion"));
        }
        api.audio("alpha", rid, audio, T0, T0 + 10_000, "alarm-like tonal sound", List.of("alarm", "tonal"));
        String path = "/rtstream/" + rid + "/index/scene/" + visual;
        Reply reply = Eventually.await().until(() -> api.alphaGet(path + "?page=1&page_size=2"),
                r -> r.status() == 200 && r.data().getLong("total_count") == 3);
        log.info("GET {}?page=1&page_size=2 -> {}", path, reply.raw());
        JsonArray records = reply.data().getJsonArray("scene_index_records");
        assertThat(records).hasSize(2);
        JsonObject first = records.getJsonObject(0);
        assertThat(first.getString("description")).isEqualTo("1 person, motion in zone 0");
        assertThat(first.getDouble("start")).isEqualTo(1_710_000_000.0);
        assertThat(first.getDouble("end")).isEqualTo(1_710_000_005.0);
        assertThat(first.getJsonObject("metadata").getJsonArray("labels")).containsExactly("person", "motion");
        assertThat(reply.data().getBoolean("next_page")).isTrue();
        assertThat(api.alphaGet(path + "?start=1710000006&end=1710000009").data().getJsonArray("scene_index_records"))
                .hasSize(1);

        Reply audioRecords = Eventually.await().until(() -> api.alphaGet("/rtstream/" + rid + "/index/scene/" + audio),
                r -> r.data().getLong("total_count") == 1);
        assertThat(audioRecords.data().getJsonArray("scene_index_records").getJsonObject(0).getString("description"))
                .isEqualTo("alarm-like tonal sound");
    }

    private void refreshRecords() {
        try {
            api.service.records().refreshNow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void searchRanksTheMatchingRecordFirst() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "gate camera");
        String tid = startTranscript(rid);
        String visual = api.createIndex(RecordsApiHarness.ALPHA_KEY, rid, "time", "visual");
        api.transcript("alpha", rid, tid, T0, T0 + 2_000, "the car is red and the gate is open");
        api.transcript("alpha", rid, tid, T0 + 2_000, T0 + 4_000, "a delivery van stops at the red gate");
        api.transcript("alpha", rid, tid, T0 + 4_000, T0 + 6_000, "red car parked at the front gate");
        api.transcript("alpha", rid, tid, T0 + 6_000, T0 + 8_000, "nothing happens for a while");
        api.scene("alpha", rid, visual, T0, T0 + 5_000, "2 people near the gate", List.of("person"));
        JsonObject query = new JsonObject().put("query", "red car at the gate");
        // Words find a record as soon as it is indexed, meaning once its vector is in: wait for both.
        Eventually.await().until(() -> api.alphaPost("/rtstream/" + rid + "/search", query),
                r -> r.status() == 200 && r.data().getJsonArray("results").size() >= 4
                        && r.data().getJsonArray("results").getJsonObject(0).getDouble("score") > 0.95
                        && api.service.records().embeddingBacklog() == 0);
        // Every vector written: make them all visible, so the scores below no longer move between requests.
        refreshRecords();
        Reply reply = api.alphaPost("/rtstream/" + rid + "/search", query);
        log.info("POST /rtstream/{}/search {} -> {}", rid, query.encode(), reply.raw());
        // Both records with every query word rank first, in either order: how e5 places them varies with the
        // batch their vectors were computed in (cosines move by ~0.005, the absolute score reads them against
        // the query's background) and BM25 with the statistics of the whole shared index.
        List<String> topTwo = List.of(reply.data().getJsonArray("results").getJsonObject(0).getString("text"),
                reply.data().getJsonArray("results").getJsonObject(1).getString("text"));
        assertThat(topTwo).containsExactlyInAnyOrder("red car parked at the front gate", "the car is red and the gate is open");
        JsonObject best = reply.data().getJsonArray("results").getJsonObject(0);
        double startOfBest = best.getString("text").startsWith("red car") ? 1_710_000_004.0 : 1_710_000_000.0;
        assertThat(best.getDouble("start")).isEqualTo(startOfBest);
        assertThat(best.getDouble("end")).isEqualTo(startOfBest + 2);
        assertThat(best.getDouble("score")).isBetween(0.95, 1.0);
        assertThat(best.getString("scene_index_id")).isEqualTo(tid);
        assertThat(best.getString("scene_index_name")).isEqualTo("transcript");
        assertThat(best.getString("rtstream_id")).isEqualTo(rid);
        assertThat(best.getString("rtstream_name")).isEqualTo("gate camera");
        List<Double> scores = new ArrayList<>();
        reply.data().getJsonArray("results").forEach(r -> scores.add(((JsonObject) r).getDouble("score")));
        assertThat(scores).isSortedAccordingTo(Collections.reverseOrder());

        // The index filter, the result limit and the score threshold.
        Reply scenes = api.alphaPost("/rtstream/" + rid + "/search", query.copy().put("scene_index_id", visual));
        assertThat(scenes.data().getJsonArray("results")).hasSize(1);
        assertThat(scenes.data().getJsonArray("results").getJsonObject(0).getString("text")).isEqualTo("2 people near the gate");
        assertThat(api.alphaPost("/rtstream/" + rid + "/search", query.copy().put("result_threshold", 2)).data()
                .getJsonArray("results")).hasSize(2);
        // Scores are absolute: a threshold keeps exactly the hits at or above it, and the dynamic percentage
        // those within that percentage of the best.
        double threshold = 0.97;
        assertThat(api.alphaPost("/rtstream/" + rid + "/search", query.copy().put("score_threshold", threshold)).data()
                .getJsonArray("results")).hasSize((int) scores.stream().filter(x -> x >= threshold).count());
        double best20 = scores.get(0) * 0.8;
        assertThat(api.alphaPost("/rtstream/" + rid + "/search", query.copy().put("dynamic_score_percentage", 20)).data()
                .getJsonArray("results")).hasSize((int) scores.stream().filter(x -> x >= best20).count());
        assertThat(scores.stream().filter(x -> x >= threshold).count()).isLessThan(scores.size());
        // The Python SDK sends null for what the caller left out.
        assertThat(api.alphaPost("/rtstream/" + rid + "/search", query.copy().putNull("scene_index_id")
                .putNull("result_threshold").putNull("score_threshold").putNull("dynamic_score_percentage")).status())
                .isEqualTo(200);
    }

    @Test
    void searchFindsAParaphraseWithAnAbsoluteScore() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "lobby microphone");
        String tid = startTranscript(rid);
        api.transcript("alpha", rid, tid, T0, T0 + 2_000, "help me");
        api.transcript("alpha", rid, tid, T0 + 2_000, T0 + 4_000, "the quarterly tax report is due on friday");
        api.transcript("alpha", rid, tid, T0 + 4_000, T0 + 6_000, "turn left at the second traffic light");
        api.transcript("alpha", rid, tid, T0 + 6_000, T0 + 8_000, "I want my money back");
        String search = "/rtstream/" + rid + "/search";

        JsonObject refund = new JsonObject().put("query", "a customer asks for a refund");
        // No word in common: found by meaning alone, first.
        Reply refunds = Eventually.await().until(() -> api.alphaPost(search, refund),
                r -> r.status() == 200 && !r.data().getJsonArray("results").isEmpty()
                        && r.data().getJsonArray("results").getJsonObject(0).getString("text").equals("I want my money back"));
        double paraphrase = refunds.data().getJsonArray("results").getJsonObject(0).getDouble("score");

        // The score is absolute: the same threshold keeps the paraphrase and drops every unrelated record,
        // whatever the query; the best hit of an unrelated query is not 1.0.
        log.info("POST {} {} -> {}", search, refund.encode(), refunds.raw());
        JsonObject thresholded = refund.copy().put("score_threshold", 0.3);
        assertThat(paraphrase).isBetween(0.3, 0.9);
        assertThat(api.alphaPost(search, thresholded).data().getJsonArray("results")).hasSize(1);
        Reply unrelated = api.alphaPost(search, new JsonObject().put("query", "a giraffe eating leaves"));
        assertThat(unrelated.data().getJsonArray("results").stream().map(r -> ((JsonObject) r).getDouble("score")))
                .allMatch(score -> score < 0.3);
        assertThat(api.alphaPost(search, new JsonObject().put("query", "a giraffe eating leaves").put("score_threshold", 0.3))
                .data().getJsonArray("results")).isEmpty();

        // A rescue request finds "help me" (no word in common), and nothing unrelated above the threshold.
        JsonObject rescue = new JsonObject().put("query", "someone is asking to be rescued").put("score_threshold", 0.3);
        Reply rescued = api.alphaPost(search, rescue);
        log.info("POST {} {} -> {}", search, rescue.encode(), rescued.raw());
        assertThat(rescued.data().getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("text")))
                .containsExactly("help me");
    }

    @Test
    void collectionSearchCoversEveryStreamOfTheCallerOnly() {
        String one = api.createStream(RecordsApiHarness.ALPHA_KEY, "north");
        String two = api.createStream(RecordsApiHarness.ALPHA_KEY, "south");
        String theirs = api.createStream(RecordsApiHarness.BETA_KEY, "beta cam");
        api.transcript("alpha", one, "tx", T0, T0 + 1_000, "zebra crossing at the north entrance");
        api.transcript("alpha", two, "tx", T0, T0 + 1_000, "zebra spotted near the south fence");
        api.transcript("beta", theirs, "tx", T0, T0 + 1_000, "zebra crossing at the north entrance");
        JsonObject query = new JsonObject().put("query", "zebra crossing north").put("filter", new JsonArray());
        Reply reply = Eventually.await().until(() -> api.alphaPost("/rtstream/collection/default/search", query),
                r -> r.status() == 200 && r.data().getJsonArray("results").size() == 2);
        JsonArray results = reply.data().getJsonArray("results");
        assertThat(results.getJsonObject(0).getString("rtstream_id")).isEqualTo(one);
        assertThat(results.getJsonObject(0).getString("rtstream_name")).isEqualTo("north");
        assertThat(results.getJsonObject(1).getString("rtstream_id")).isEqualTo(two);
        // The tenant's own collection id works like 'default'; another's is not found.
        assertThat(api.alphaPost("/rtstream/collection/alpha/search", query).data().getJsonArray("results")).hasSize(2);
        assertError(api.alphaPost("/rtstream/collection/beta/search", query), 404, "not_found", "collection 'beta'");
        // Beta sees its own record only.
        Reply beta = Eventually.await().until(() -> api.call(RecordsApiHarness.BETA_KEY, HttpMethod.POST,
                "/rtstream/collection/default/search", query), r -> r.data().getJsonArray("results").size() == 1);
        assertThat(beta.data().getJsonArray("results").getJsonObject(0).getString("rtstream_id")).isEqualTo(theirs);
    }

    @Test
    void anotherTenantsStreamAnswersLikeAnUnknownOne() {
        String theirs = api.createStream(RecordsApiHarness.BETA_KEY, "private");
        String theirIndex = api.createIndex(RecordsApiHarness.BETA_KEY, theirs, "time", "visual");
        api.transcript("beta", theirs, "tx", T0, T0 + 1_000, "secret meeting in room four");
        Eventually.await().until(() -> api.call(RecordsApiHarness.BETA_KEY, HttpMethod.GET,
                "/rtstream/" + theirs + "/transcription", null).data().getLong("total_count") == 1);

        Reply control = api.alphaGet("/rtstream/" + theirs);
        assertError(control, 404, "not_found", "rtstream '" + theirs + "' not found");
        log.info("GET /rtstream/{}/transcription with another tenant's key -> {} {}", theirs, control.status(),
                api.alphaGet("/rtstream/" + theirs + "/transcription").raw());
        for (Reply reply : List.of(
                api.alphaGet("/rtstream/" + theirs + "/transcription"),
                api.alphaGet("/rtstream/" + theirs + "/index/scene/" + theirIndex),
                api.alphaPost("/rtstream/" + theirs + "/search", new JsonObject().put("query", "secret meeting")))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json()).isEqualTo(control.json());
        }
        // Their index through one of our streams, and in a collection search, is an unknown index.
        String ours = api.createStream(RecordsApiHarness.ALPHA_KEY, "ours");
        Reply viaOurs = api.alphaGet("/rtstream/" + ours + "/index/scene/" + theirIndex);
        assertThat(viaOurs.json()).isEqualTo(api.alphaGet("/rtstream/" + ours + "/index/" + theirIndex).json());
        assertError(api.alphaPost("/rtstream/collection/default/search", new JsonObject().put("query", "secret")
                .put("scene_index_id", theirIndex)), 404, "not_found", "index '" + theirIndex + "' not found");
        assertThat(api.alphaPost("/rtstream/collection/default/search", new JsonObject().put("query", "secret meeting"))
                .data().getJsonArray("results")).isEmpty();
    }

    @Test
    void aNewRecordBecomesSearchable() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "fresh");
        Eventually.await().until(api.service::isReady);
        long produced = System.nanoTime();
        api.transcript("alpha", rid, "tx", T0, T0 + 1_000, "a quokka jumps over the fence");
        JsonObject query = new JsonObject().put("query", "quokka");
        Eventually.await().until(() -> api.alphaPost("/rtstream/" + rid + "/search", query),
                r -> r.data().getJsonArray("results").size() == 1);
        // Timing is measured by the benchmark; logged here for information only.
        log.info("Record searchable {} ms after its produce was acknowledged", (System.nanoTime() - produced) / 1_000_000);
    }

    @Test
    void badRequestsAre400sThatSayWhatToFix() {
        String rid = api.createStream(RecordsApiHarness.ALPHA_KEY, "bad");
        String search = "/rtstream/" + rid + "/search";
        Reply unbalanced = api.alphaPost(search, new JsonObject().put("query", "person \"at the gate"));
        log.info("POST {} {\"query\": \"person \\\"at the gate\"} -> {} {}", search, unbalanced.status(), unbalanced.raw());
        assertError(unbalanced, 400, "invalid_request", "unbalanced double quote");
        Reply wildcard = api.alphaPost(search, new JsonObject().put("query", "*"));
        log.info("POST {} {\"query\": \"*\"} -> {} {}", search, wildcard.status(), wildcard.raw());
        assertError(api.alphaPost(search, new JsonObject().put("query", "x".repeat(1001))), 400, "invalid_request",
                "at most 1000 characters");
        assertError(api.alphaPost(search, new JsonObject().put("query", "*")), 400, "invalid_request", "no words");
        assertError(api.alphaPost(search, new JsonObject().put("query", "*:*")), 400, "invalid_request", "no words");
        assertError(api.alphaPost(search, new JsonObject()), 400, "invalid_request", "'query' is required");
        assertError(api.alphaPost(search, new JsonObject().put("query", 42)), 400, "invalid_request", "must be a string");
        assertError(api.alphaPost(search, new JsonObject().put("query", "car").put("result_threshold", 0)), 400,
                "invalid_request", "result_threshold");
        assertError(api.alphaPost(search, new JsonObject().put("query", "car").put("score_threshold", 2)), 400,
                "invalid_request", "score_threshold");
        assertError(api.alphaPost(search, new JsonObject().put("query", "car").put("filter", new JsonArray().add("x"))), 400,
                "invalid_request", "filter");
        assertError(api.alphaPost(search, new JsonObject().put("query", "car").put("index_type", "smell")), 400,
                "invalid_request", "index_type");
        String list = "/rtstream/" + rid + "/transcription";
        assertError(api.alphaGet(list + "?page_size=1001"), 400, "invalid_request", "page_size");
        assertError(api.alphaGet(list + "?page=0"), 400, "invalid_request", "page");
        assertError(api.alphaGet(list + "?page=abc"), 400, "invalid_request", "whole number");
        assertError(api.alphaGet(list + "?since=yesterday"), 400, "invalid_request", "Unix seconds");
        assertError(api.alphaGet(list + "?since=NaN"), 400, "invalid_request", "Unix seconds");
        assertError(api.alphaGet(list + "?start=1710000000000"), 400, "invalid_request", "Unix seconds");
        assertError(api.alphaGet(list + "?start=20&end=10"), 400, "invalid_request", "'start' must not be after 'end'");
        assertError(api.alphaGet(list + "?page=1000&page_size=1000"), 400, "invalid_request", "page * page_size");
    }
}
