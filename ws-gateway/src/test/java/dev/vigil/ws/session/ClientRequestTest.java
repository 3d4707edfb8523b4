package dev.vigil.ws.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.ids.Ids;
import dev.vigil.ws.feed.Channel;
import dev.vigil.ws.session.ClientRequest.InvalidRequestException;
import dev.vigil.ws.session.ClientRequest.Subscribe;
import dev.vigil.ws.session.ClientRequest.Unsubscribe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientRequestTest {

    private static final String STREAM = Ids.rtstreamId();
    private static final String INDEX = Ids.shortId();

    @Test
    void parsesASubscribeWithEveryFilter() throws Exception {
        ClientRequest request = ClientRequest.parse(new JsonObject()
                .put("action", "subscribe")
                .put("channels", new JsonArray().add("transcript").add("ALERT"))
                .put("rtstream_ids", new JsonArray().add(STREAM))
                .put("index_ids", new JsonArray().add(INDEX))
                .put("labels", new JsonArray().add("Person"))
                .encode());
        assertThat(request).isEqualTo(new Subscribe(new Subscription(Set.of(Channel.TRANSCRIPT, Channel.ALERT),
                Set.of(STREAM), Set.of(INDEX), Set.of("person"))));
    }

    @Test
    void anEmptySubscribeMeansEverythingOfTheTenant() throws Exception {
        assertThat(ClientRequest.parse("{\"action\":\"subscribe\"}")).isEqualTo(new Subscribe(Subscription.everything()));
    }

    @Test
    void parsesTheThreeUnsubscribeForms() throws Exception {
        assertThat(ClientRequest.parse("{\"action\":\"unsubscribe\",\"subscription_id\":\"sub-12\"}"))
                .isEqualTo(new Unsubscribe("sub-12", Subscription.everything()));
        assertThat(ClientRequest.parse("{\"action\":\"unsubscribe\",\"channels\":[\"scene_index\"]}"))
                .isEqualTo(new Unsubscribe(null, new Subscription(Set.of(Channel.SCENE_INDEX), Set.of(), Set.of(), Set.of())));
        assertThat(ClientRequest.parse("{\"action\":\"unsubscribe\"}"))
                .isEqualTo(new Unsubscribe(null, Subscription.everything()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                              | frame is not JSON",
            "[1,2]                                                 | must be a JSON object",
            "\"subscribe\"                                         | must be a JSON object",
            "{}                                                    | 'action' is required",
            "{\"action\":7}                                        | 'action' is required",
            "{\"action\":\"dance\"}                                | unknown action 'dance'",
            "{\"action\":\"subscribe\",\"channel\":[\"alert\"]}    | unknown field 'channel'",
            "{\"action\":\"subscribe\",\"channels\":\"alert\"}     | 'channels' must be an array of strings",
            "{\"action\":\"subscribe\",\"channels\":[\"video\"]}   | must be a channel: transcript, scene_index, audio_index, alert",
            "{\"action\":\"subscribe\",\"channels\":[1]}           | must be a channel",
            "{\"action\":\"subscribe\",\"rtstream_ids\":[\"rts-1\"]} | must be an rtstream id",
            "{\"action\":\"subscribe\",\"index_ids\":[\"ABC\"]}    | must be an index id",
            "{\"action\":\"subscribe\",\"labels\":[\"\"]}          | must be a label of 1 to 64 characters",
            "{\"action\":\"subscribe\",\"subscription_id\":\"sub-1\"} | unknown field 'subscription_id'",
            "{\"action\":\"unsubscribe\",\"subscription_id\":\"x\"}  | must be an id from a 'subscribed' frame",
            "{\"action\":\"unsubscribe\",\"subscription_id\":\"sub-1\",\"labels\":[\"a\"]} | not both",
    })
    void refusesWithAMessageThatSaysWhatToFix(String frame, String message) {
        assertThatThrownBy(() -> ClientRequest.parse(frame))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message);
    }

    @Test
    void boundsTheSizeOfEachList() {
        JsonArray labels = new JsonArray(IntStream.range(0, ClientRequest.MAX_VALUES + 1).mapToObj(i -> "l" + i).toList());
        assertThatThrownBy(() -> ClientRequest.parse(new JsonObject().put("action", "subscribe").put("labels", labels).encode()))
                .hasMessageContaining("at most 100 values");
    }

    @Test
    void aLongUnknownActionIsShortenedInTheMessage() {
        assertThatThrownBy(() -> ClientRequest.parse("{\"action\":\"" + "a".repeat(5_000) + "\"}"))
                .hasMessageContaining("…")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
    }
}
