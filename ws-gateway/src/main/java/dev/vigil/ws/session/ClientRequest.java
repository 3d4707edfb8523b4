package dev.vigil.ws.session;

import dev.vigil.common.ids.Ids;
import dev.vigil.ws.feed.Channel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A frame a client sent, parsed and validated:
 * <pre>
 * {"action":"subscribe",   "channels":[…], "rtstream_ids":[…], "index_ids":[…], "labels":[…]}
 * {"action":"unsubscribe", "subscription_id":"sub-1"}                 removes that subscription
 * {"action":"unsubscribe", "channels":[…], "rtstream_ids":[…], …}     removes those with equal fields
 * {"action":"unsubscribe"}                                            removes all
 * </pre>
 * Every problem is reported as an {@link InvalidRequestException} whose message tells the client
 * what to fix; unknown fields are refused so that a typo never silently widens a subscription.
 */
public sealed interface ClientRequest {

    /** Most values in one list of a request. */
    int MAX_VALUES = 100;
    /** Longest label. */
    int MAX_LABEL_LENGTH = 64;

    /** Adds a subscription. */
    record Subscribe(Subscription filter) implements ClientRequest {
    }

    /** Removes the subscription {@code subscriptionId}, or (when null) every one {@code filter} selects. */
    record Unsubscribe(String subscriptionId, Subscription filter) implements ClientRequest {
    }

    /** A client frame that cannot be acted on; the message is safe to send back. */
    final class InvalidRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidRequestException(String message) {
            super(message, null, false, false); // expected input problem: no stack trace
        }
    }

    Set<String> FILTER_FIELDS = Set.of("channels", "rtstream_ids", "index_ids", "labels");

    /** Parses one text frame. */
    static ClientRequest parse(String text) throws InvalidRequestException {
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new InvalidRequestException("frame is not JSON; send {\"action\":\"subscribe\",…} or {\"action\":\"unsubscribe\",…}");
        }
        if (!(value instanceof JsonObject json)) {
            throw new InvalidRequestException("frame must be a JSON object with an 'action'");
        }
        Object action = json.getValue("action");
        if (!(action instanceof String name)) {
            throw new InvalidRequestException("'action' is required: subscribe or unsubscribe");
        }
        switch (name) {
            case "subscribe" -> {
                checkFields(json, FILTER_FIELDS);
                return new Subscribe(filter(json));
            }
            case "unsubscribe" -> {
                Set<String> allowed = new HashSet<>(FILTER_FIELDS);
                allowed.add("subscription_id");
                checkFields(json, allowed);
                Object id = json.getValue("subscription_id");
                if (id != null) {
                    if (!(id instanceof String sid) || !sid.matches("sub-[0-9]{1,9}")) {
                        throw new InvalidRequestException("'subscription_id' must be an id from a 'subscribed' frame, e.g. sub-1");
                    }
                    if (json.fieldNames().stream().anyMatch(FILTER_FIELDS::contains)) {
                        throw new InvalidRequestException("give either 'subscription_id' or filter fields, not both");
                    }
                    return new Unsubscribe(sid, Subscription.everything());
                }
                return new Unsubscribe(null, filter(json));
            }
            default -> throw new InvalidRequestException("unknown action '" + shorten(name) + "'; use subscribe or unsubscribe");
        }
    }

    private static void checkFields(JsonObject json, Set<String> allowed) throws InvalidRequestException {
        for (String field : json.fieldNames()) {
            if (!field.equals("action") && !allowed.contains(field)) {
                throw new InvalidRequestException("unknown field '" + shorten(field) + "'; allowed: "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }

    private static Subscription filter(JsonObject json) throws InvalidRequestException {
        Set<Channel> channels = new HashSet<>();
        for (String name : strings(json, "channels", s -> Channel.fromWireName(s).isPresent(),
                "a channel: " + Arrays.stream(Channel.values()).map(Channel::wireName).collect(Collectors.joining(", ")))) {
            channels.add(Channel.fromWireName(name).orElseThrow());
        }
        Set<String> streams = strings(json, "rtstream_ids", Ids::isRtstreamId, "an rtstream id (rts-…)");
        Set<String> indexes = strings(json, "index_ids", Ids::isShortId, "an index id (16 lowercase hex characters)");
        Set<String> labels = new HashSet<>();
        for (String label : strings(json, "labels", s -> !s.isBlank() && s.length() <= MAX_LABEL_LENGTH,
                "a label of 1 to " + MAX_LABEL_LENGTH + " characters")) {
            labels.add(label.toLowerCase(Locale.ROOT));
        }
        return new Subscription(channels, streams, indexes, labels);
    }

    private static Set<String> strings(JsonObject json, String field, Predicate<String> valid, String what)
            throws InvalidRequestException {
        Object raw = json.getValue(field);
        if (raw == null) {
            return Set.of();
        }
        if (!(raw instanceof JsonArray array)) {
            throw new InvalidRequestException("'" + field + "' must be an array of strings");
        }
        if (array.size() > MAX_VALUES) {
            throw new InvalidRequestException("'" + field + "' may hold at most " + MAX_VALUES + " values");
        }
        Set<String> values = new LinkedHashSet<>();
        for (Object item : array) {
            if (!(item instanceof String s) || !valid.test(s)) {
                throw new InvalidRequestException("every value of '" + field + "' must be " + what);
            }
            values.add(s);
        }
        return values;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
