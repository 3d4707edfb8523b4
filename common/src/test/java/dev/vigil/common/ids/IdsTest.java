package dev.vigil.common.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    private static final int MANY = 10_000;
    /** Computed independently: Python {@code uuid.uuid5(NOTIFICATION_NAMESPACE, "16:3f9a0c1b7d2e4a65:record-1")}. */
    private static final String PINNED_NOTIFICATION_ID = "ntf-c4759053-2c83-5438-96c0-0aa64c0e4b2c";

    @Test
    void rtstreamIdIsPrefixedLowercaseUuidV7() {
        String id = Ids.rtstreamId();

        assertThat(id).startsWith("rts-").hasSize(4 + 36).isLowerCase();
        UUID uuid = UUID.fromString(id.substring(4));
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2); // RFC 4122 / 9562
        assertThat(Ids.isRtstreamId(id)).isTrue();
    }

    @Test
    void rtstreamIdCarriesTheCreationTimeInItsFirst48Bits() {
        long before = System.currentTimeMillis();
        String id = Ids.rtstreamId();
        long after = System.currentTimeMillis();

        long embeddedMillis = UUID.fromString(id.substring(4)).getMostSignificantBits() >>> 16;
        assertThat(embeddedMillis).isBetween(before, after);
    }

    @Test
    void rtstreamIdsSortAsStringsInCreationOrder() {
        // The generator is monotonic within a millisecond, so even ids made back to back sort in order.
        // Compared as strings, as listings and topic keys compare them.
        List<String> ids = generate(Ids::rtstreamId, MANY);

        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shortIdIs16LowercaseHexChars() {
        assertThat(generate(Ids::shortId, 100))
                .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{16}"))
                .allMatch(Ids::isShortId);
    }

    @Test
    void connectionIdIsPrefixed16Hex() {
        String id = Ids.connectionId();

        assertThat(id).matches("wsc-[0-9a-f]{16}");
        assertThat(Ids.isConnectionId(id)).isTrue();
        assertThat(Ids.isShortId(id)).isFalse();
    }

    @Test
    void webhookSecretIsStandardWebhooksFormatWith24RandomBytes() {
        String secret = Ids.webhookSecret();

        assertThat(secret).startsWith("whsec_");
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        assertThat(key).hasSize(24);
        assertThat(secret.substring("whsec_".length())).hasSize(32).matches("[A-Za-z0-9+/]+");
    }

    @Test
    void generatedIdsAreUniqueOver10k() {
        assertThat(generate(Ids::rtstreamId, MANY)).doesNotHaveDuplicates();
        assertThat(generate(Ids::shortId, MANY)).doesNotHaveDuplicates();
        assertThat(generate(Ids::connectionId, MANY)).doesNotHaveDuplicates();
        assertThat(generate(Ids::webhookSecret, MANY)).doesNotHaveDuplicates();
    }

    @Test
    void generatedIdsAreUniqueAcrossThreads() throws InterruptedException {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_500; i++) {
                    ids.add(Ids.rtstreamId());
                    ids.add(Ids.shortId());
                }
            }, "ids-test-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(ids).hasSize(2 * MANY);
    }

    @Test
    void notificationIdIsDeterministicForTheSameAlertAndRecord() {
        String first = Ids.notificationId("3f9a0c1b7d2e4a65", "rts-x/transcript/1718000000000");
        String again = Ids.notificationId("3f9a0c1b7d2e4a65", "rts-x/transcript/1718000000000");

        assertThat(first).isEqualTo(again).startsWith("ntf-");
        assertThat(Ids.isNotificationId(first)).isTrue();
        assertThat(UUID.fromString(first.substring(4)).version()).isEqualTo(5);
    }

    @Test
    void notificationIdDiffersWhenAlertOrRecordDiffers() {
        String base = Ids.notificationId("aaaaaaaaaaaaaaaa", "record-1");

        assertThat(Ids.notificationId("aaaaaaaaaaaaaaab", "record-1")).isNotEqualTo(base);
        assertThat(Ids.notificationId("aaaaaaaaaaaaaaaa", "record-2")).isNotEqualTo(base);
    }

    @Test
    void notificationNameIsUnambiguousWhenIdsContainTheSeparator() {
        assertThat(Ids.notificationUuid("a:b", "c")).isNotEqualTo(Ids.notificationUuid("a", "b:c"));
        assertThat(Ids.notificationUuid("ab", "")).isNotEqualTo(Ids.notificationUuid("a", "b"));
    }

    @Test
    void notificationUuidIsRfc9562Version5OfTheDocumentedName() throws Exception {
        // Independent computation per RFC 9562 §5.5: SHA-1(namespace bytes || name), set version and variant.
        String alertId = "3f9a0c1b7d2e4a65";
        String recordKey = "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e@42";
        byte[] name = (alertId.length() + ":" + alertId + ":" + recordKey).getBytes(StandardCharsets.UTF_8);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(ByteBuffer.allocate(16)
                .putLong(Ids.NOTIFICATION_NAMESPACE.getMostSignificantBits())
                .putLong(Ids.NOTIFICATION_NAMESPACE.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bb = ByteBuffer.wrap(hash, 0, 16);
        UUID expected = new UUID(bb.getLong(), bb.getLong());

        assertThat(Ids.notificationUuid(alertId, recordKey)).isEqualTo(expected);
    }

    @Test
    void notificationIdIsPinnedSoTheFormatCannotDriftUnnoticed() {
        // Receivers deduplicate on this id: if this value changes, reprocessing after an upgrade
        // would deliver every past notification again under new ids.
        assertThat(Ids.notificationId("3f9a0c1b7d2e4a65", "record-1"))
                .isEqualTo(PINNED_NOTIFICATION_ID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "3F9A0C1B7D2E4A65",                       // upper-case hex
        "3f9a0c1b7d2e4a6",                        // 15 chars
        "3f9a0c1b7d2e4a650",                      // 17 chars
        "3f9a0c1b7d2e4a6g",                       // not hex
        " 3f9a0c1b7d2e4a65",
        "3f9a0c1b7d2e4a65\n",
        "3f9a0c1b7d2e4a6\u0665",                  // Arabic-Indic digit five
        "３f9a0c1b7d2e4a65",                       // full-width digit
        "3f9a0c1b7d2e4a6\u00e9",
        "wsc-3f9a0c1b7d2e4a65",
    })
    void shortIdValidatorRejectsJunk(String candidate) {
        assertThat(Ids.isShortId(candidate)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "../etc/passwd",
        "wsc-",
        "wsc-3F9A0C1B7D2E4A65",
        "WSC-3f9a0c1b7d2e4a65",
        "wsc-3f9a0c1b7d2e4a6",
        "wsc-3f9a0c1b7d2e4a65/../x",
        "wsc-3f9a0c1b7d2e4a6\u0665",
        "3f9a0c1b7d2e4a65",
    })
    void connectionIdValidatorRejectsJunk(String candidate) {
        assertThat(Ids.isConnectionId(candidate)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "../etc/passwd",
        "rts-",
        "rts-0190F1C4-5C4E-7A3B-9D2E-4F1A2B3C4D5E",  // upper case
        "RTS-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e",
        "rts-0190f1c4-5c4e-4a3b-9d2e-4f1a2b3c4d5e",  // version 4
        "rts-0190f1c4-5c4e-7a3b-cd2e-4f1a2b3c4d5e",  // wrong variant
        "rts-0190f1c45c4e7a3b9d2e4f1a2b3c4d5e",      // no dashes
        "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5",   // one short
        "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e0", // one long
        "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5\u0665",
        "0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e",
        "rts-0190f1c4-5c4e-7a3b-9d2e-4f1a2b3c4d5e/../../etc/passwd",
    })
    void rtstreamIdValidatorRejectsJunk(String candidate) {
        assertThat(Ids.isRtstreamId(candidate)).isFalse();
    }

    @Test
    void validatorsRejectVeryLongInputQuickly() {
        String huge = "a".repeat(10_000_000);

        assertThat(Ids.isShortId(huge)).isFalse();
        assertThat(Ids.isConnectionId("wsc-" + huge)).isFalse();
        assertThat(Ids.isRtstreamId("rts-" + huge)).isFalse();
        assertThat(Ids.isNotificationId("ntf-" + huge)).isFalse();
    }

    @Test
    void validatorsDoNotConfuseTheKinds() {
        String rts = Ids.rtstreamId();
        String ntf = Ids.notificationId("a", "b");
        String shortId = Ids.shortId();
        String wsc = Ids.connectionId();

        assertThat(List.of(rts, ntf, shortId, wsc)).filteredOn(Ids::isRtstreamId).containsExactly(rts);
        assertThat(List.of(rts, ntf, shortId, wsc)).filteredOn(Ids::isNotificationId).containsExactly(ntf);
        assertThat(List.of(rts, ntf, shortId, wsc)).filteredOn(Ids::isShortId).containsExactly(shortId);
        assertThat(List.of(rts, ntf, shortId, wsc)).filteredOn(Ids::isConnectionId).containsExactly(wsc);
        // A v7 UUID prefixed as a notification, or a v5 one as an RTStream, is refused.
        assertThat(Ids.isNotificationId("ntf-" + rts.substring(4))).isFalse();
        assertThat(Ids.isRtstreamId("rts-" + ntf.substring(4))).isFalse();
    }

    private static List<String> generate(Supplier<String> supplier, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(supplier.get());
        }
        return out;
    }
}
