package dev.vigil.common.ids;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.NameBasedGenerator;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Generates and validates the ids of the control plane.
 *
 * <table>
 *   <caption>Id formats</caption>
 *   <tr><th>what</th><th>format</th><th>example</th></tr>
 *   <tr><td>RTStream</td><td>{@code rts-} + UUID v7</td><td>{@code rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e}</td></tr>
 *   <tr><td>index, event, alert</td><td>16 lowercase hex chars</td><td>{@code 3f9a0c1b7d2e4a65}</td></tr>
 *   <tr><td>WebSocket connection</td><td>{@code wsc-} + 16 lowercase hex chars</td><td>{@code wsc-3f9a0c1b7d2e4a65}</td></tr>
 *   <tr><td>notification</td><td>{@code ntf-} + UUID v5 (name-based)</td><td>{@code ntf-8a1f…}</td></tr>
 *   <tr><td>webhook secret</td><td>{@code whsec_} + base64 of 24 random bytes</td><td>{@code whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw}</td></tr>
 * </table>
 *
 * <p>The validators are deliberately strict (exact length, lowercase ASCII hex only, and for
 * RTStream ids the UUID version and variant) so that REST handlers can answer 404 for junk or
 * path-traversal ids before any lookup, and so that an id is always safe to put in a topic key, a
 * log line or a file name. All methods are thread-safe.
 */
public final class Ids {

    /**
     * Namespace of the name-based notification ids. Fixed forever: changing it changes every
     * notification id, and with it the idempotency key receivers deduplicate on.
     */
    public static final UUID NOTIFICATION_NAMESPACE = UUID.fromString("d62c6f1b-45f2-4bdc-aa6b-181f48228b08");

    public static final String RTSTREAM_PREFIX = "rts-";
    public static final String CONNECTION_PREFIX = "wsc-";
    public static final String NOTIFICATION_PREFIX = "ntf-";
    public static final String WEBHOOK_SECRET_PREFIX = "whsec_";

    /** Random bytes behind a short id: 64 bits, so 16 hex chars. */
    private static final int SHORT_ID_BYTES = 8;
    /** Standard Webhooks recommends 24 to 64 random bytes; 24 encodes to 32 base64 chars without padding. */
    private static final int WEBHOOK_SECRET_BYTES = 24;

    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern CONNECTION_ID = Pattern.compile("wsc-[0-9a-f]{16}");
    // Version nibble 7 and RFC 4122 variant (8, 9, a, b): a v4 or hand-made UUID is not an RTStream id.
    private static final Pattern RTSTREAM_ID =
            Pattern.compile("rts-[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern NOTIFICATION_ID =
            Pattern.compile("ntf-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    /** Longest id any validator accepts; longer input is rejected before the regex sees it. */
    private static final int MAX_ID_LENGTH = 40;

    private static final HexFormat HEX = HexFormat.of(); // lowercase
    private static final SecureRandom RANDOM = new SecureRandom();
    // Both generators are thread-safe (the v7 one under a lock, the v5 one synchronised on its digest).
    // The v7 generator is monotonic: ids made within the same millisecond still sort in creation order.
    private static final TimeBasedEpochGenerator V7 = Generators.timeBasedEpochGenerator();
    private static final NameBasedGenerator V5 = Generators.nameBasedGenerator(NOTIFICATION_NAMESPACE);

    private Ids() {
    }

    /**
     * A new RTStream id, {@code rts-} + UUID v7. Ids sort (as strings) by creation time, so listings
     * ordered by id are ordered by age and the compacted topic's keys stay roughly time-ordered.
     */
    public static String rtstreamId() {
        return RTSTREAM_PREFIX + V7.generate();
    }

    /** A new index, event or alert id: 16 lowercase hex chars from a {@link SecureRandom}. */
    public static String shortId() {
        byte[] bytes = new byte[SHORT_ID_BYTES];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** A new WebSocket connection id, {@code wsc-} + 16 lowercase hex chars. */
    public static String connectionId() {
        return CONNECTION_PREFIX + shortId();
    }

    /**
     * A new Standard Webhooks signing secret: {@code whsec_} + standard base64 (with padding, though
     * 24 bytes need none) of 24 random bytes. Returned once at alert creation.
     */
    public static String webhookSecret() {
        byte[] bytes = new byte[WEBHOOK_SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return WEBHOOK_SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The notification UUID for one firing of {@code alertId} on the record identified by
     * {@code recordKey}: a name-based UUID v5 (SHA-1) in {@link #NOTIFICATION_NAMESPACE}, so
     * reprocessing the same record yields the same id, on every channel and every retry.
     *
     * <p>The name is the UTF-8 of {@code <length of alertId>:<alertId>:<recordKey>}. The length
     * prefix keeps distinct pairs distinct even when an id contains the separator ({@code ("a:b","c")}
     * vs {@code ("a","b:c")}). The format is part of the id contract and must never change.
     */
    public static UUID notificationUuid(String alertId, String recordKey) {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(recordKey, "recordKey");
        String name = alertId.length() + ":" + alertId + ":" + recordKey;
        return V5.generate(name.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code ntf-} + {@link #notificationUuid(String, String)}. */
    public static String notificationId(String alertId, String recordKey) {
        return NOTIFICATION_PREFIX + notificationUuid(alertId, recordKey);
    }

    /** Whether {@code s} is exactly an RTStream id as {@link #rtstreamId()} makes them. Null-safe. */
    public static boolean isRtstreamId(String s) {
        return matches(RTSTREAM_ID, s);
    }

    /** Whether {@code s} is exactly 16 lowercase hex chars (an index, event or alert id). Null-safe. */
    public static boolean isShortId(String s) {
        return matches(SHORT_ID, s);
    }

    /** Whether {@code s} is exactly a connection id as {@link #connectionId()} makes them. Null-safe. */
    public static boolean isConnectionId(String s) {
        return matches(CONNECTION_ID, s);
    }

    /** Whether {@code s} is exactly a notification id as {@link #notificationId} makes them. Null-safe. */
    public static boolean isNotificationId(String s) {
        return matches(NOTIFICATION_ID, s);
    }

    private static boolean matches(Pattern pattern, String s) {
        // The length guard keeps hostile megabyte-long path segments away from the regex engine.
        return s != null && s.length() <= MAX_ID_LENGTH && pattern.matcher(s).matches();
    }
}
