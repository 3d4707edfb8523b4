package dev.vigil.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request's JSON object with typed, bounded field accessors. Each accessor records a precise
 * problem naming the field instead of throwing, so one 400 lists every mistake ({@link #validate()}).
 * {@code null} and an absent key mean the same (VideoDB's Python SDK sends null, the Node SDK omits).
 */
public final class JsonBody {

    private final JsonObject json;
    private final List<String> problems = new ArrayList<>();

    private JsonBody(JsonObject json) {
        this.json = json;
    }

    /**
     * The body as a JSON object; an empty body counts as {@code {}}. The bytes must be UTF-8 (checked
     * strictly first, so Jackson's encoding detection never reads UTF-16 or UTF-32 into it); anything
     * the parser refuses — syntax, nesting or number-length limits — is a 400.
     */
    public static JsonBody of(RoutingContext ctx) {
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            return new JsonBody(new JsonObject());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer.getBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiError(400, "invalid_json", "request body is not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return new JsonBody(new JsonObject());
        }
        Object parsed;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new ApiError(400, "invalid_json", "request body is not valid JSON");
        } catch (RuntimeException e) {
            // Jackson's own limits (nesting depth, number and string length) surface as other exceptions.
            throw new ApiError(400, "invalid_json", "request body is not acceptable JSON (too deep or too long)");
        }
        if (!(parsed instanceof JsonObject object)) {
            throw new ApiError(400, "invalid_json", "request body must be a JSON object");
        }
        return new JsonBody(object);
    }

    /** Throws a 400 listing every problem found so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw ApiError.badRequest(String.join("; ", problems));
        }
    }

    private Object raw(String field) {
        return json.getValue(field);
    }

    private void problem(String field, String message) {
        problems.add("field '" + field + "' " + message);
    }

    /** A string of at most {@code maxLength} characters without control characters, or null. */
    public String string(String field, boolean required, int maxLength) {
        Object value = raw(field);
        if (value == null) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            problem(field, "must be a string");
            return null;
        }
        if (required && s.isBlank()) {
            problem(field, "must not be empty");
            return null;
        }
        if (s.length() > maxLength) {
            problem(field, "must be at most " + maxLength + " characters");
            return null;
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f)) {
            problem(field, "must not contain control characters");
            return null;
        }
        return s;
    }

    /** A whole number in {@code [min, max]}, or {@code dflt} when absent. */
    public Integer integer(String field, Integer dflt, long min, long max) {
        Object value = raw(field);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || value instanceof Double d && (d.isInfinite() || d.isNaN())) {
            problem(field, "must be a whole number");
            return dflt;
        }
        // Compare as double first: a huge literal decodes to BigInteger and would wrap as a long.
        double dv = n.doubleValue();
        long v = n.longValue();
        if (dv < min || dv > max || v < min || v > max) {
            problem(field, "must be between " + min + " and " + max);
            return dflt;
        }
        return (int) v;
    }

    /** A number in {@code [min, max]}, or {@code dflt} when absent. */
    public Double number(String field, Double dflt, double min, double max) {
        Object value = raw(field);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof Number n) || Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
            problem(field, "must be a number");
            return dflt;
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            problem(field, "must be between " + min + " and " + max);
            return dflt;
        }
        return v;
    }

    /** A boolean, or {@code dflt} when absent. */
    public Boolean bool(String field, Boolean dflt) {
        Object value = raw(field);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof Boolean b)) {
            problem(field, "must be true or false");
            return dflt;
        }
        return b;
    }

    /** One of {@code allowed} (compared case-insensitively, returned lower-case), or {@code dflt}. */
    public String choice(String field, Set<String> allowed, String dflt) {
        Object value = raw(field);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof String s) || !allowed.contains(s.toLowerCase(Locale.ROOT))) {
            problem(field, "must be one of " + new java.util.TreeSet<>(allowed));
            return dflt;
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** A list of strings, each one of {@code allowed} (lower-cased), or {@code dflt} when absent. */
    public List<String> choices(String field, Set<String> allowed, List<String> dflt) {
        Object value = raw(field);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > allowed.size()) {
            problem(field, "must be a non-empty list of " + new java.util.TreeSet<>(allowed));
            return dflt;
        }
        List<String> result = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String s) || !allowed.contains(s.toLowerCase(Locale.ROOT))) {
                problem(field, "must be a non-empty list of " + new java.util.TreeSet<>(allowed));
                return dflt;
            }
            if (!result.contains(s.toLowerCase(Locale.ROOT))) {
                result.add(s.toLowerCase(Locale.ROOT));
            }
        }
        return result;
    }

    /** A JSON object, or an empty one when absent. */
    public JsonObject object(String field) {
        Object value = raw(field);
        if (value == null) {
            return new JsonObject();
        }
        if (!(value instanceof JsonObject o)) {
            problem(field, "must be an object");
            return new JsonObject();
        }
        return o;
    }

    /** Records a problem found by the caller's own check. */
    public void reject(String field, String message) {
        problem(field, message);
    }

    /** Whether the client sent the field with a non-null value. */
    public boolean has(String field) {
        return raw(field) != null;
    }
}
