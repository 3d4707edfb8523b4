package dev.vigil.common.secrets;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The deployment's keys for secrets at rest (webhook signing secrets in {@code vigil.alerts}), from
 * {@code VIGIL_SECRETS_KEYS}: {@code id=material} pairs, the first one seals, every one opens. Each
 * key's AES-256 key is the SHA-256 of its material (at least 32 characters: a random string from a
 * secret store, not a password).
 *
 * <p>Key rotation (docs/security.md): put a new pair first and keep the old one after it; secrets
 * sealed with the old key still open, and every alert written from then on (created, its secret
 * rotated, its status changed) is sealed with the new key. Drop the old pair once no alert uses it.
 */
public final class SecretKeys {

    public static final Setting<List<String>> KEYS = Settings.list("VIGIL_SECRETS_KEYS", null,
            "Keys that encrypt webhook secrets at rest, as id=material pairs (material: at least 32 random "
                    + "characters); the first seals, all open. Required by control-api and webhook-dispatcher; "
                    + "the alert-router signs notifications' clip links with them when set (control-api verifies them). "
                    + "Standalone generates one under its data directory.")
            .secret()
            .check(SecretKeys::validPairs, "id=material pairs, ids of letters, digits, '.', '_' or '-', "
                    + "material of at least 32 characters, no id twice");

    private static final int MIN_MATERIAL = 32;

    private final String activeId;
    private final Map<String, SecretKey> byId;

    private SecretKeys(String activeId, Map<String, SecretKey> byId) {
        this.activeId = activeId;
        this.byId = Map.copyOf(byId);
    }

    /** The keys of {@code VIGIL_SECRETS_KEYS}, if set. */
    public static Optional<SecretKeys> from(ConfigValues values) {
        return values.find(KEYS).map(SecretKeys::of);
    }

    /** Keys from {@code id=material} pairs (already validated by the setting, or by the caller). */
    public static SecretKeys of(List<String> pairs) {
        if (!validPairs(pairs)) {
            throw new IllegalArgumentException("secret keys must be id=material pairs with material of at least "
                    + MIN_MATERIAL + " characters");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            keys.put(pair.substring(0, eq).trim(), derive(pair.substring(eq + 1).trim()));
        }
        return new SecretKeys(keys.keySet().iterator().next(), keys);
    }

    /** The id of the key that seals. */
    public String activeId() {
        return activeId;
    }

    SecretKey active() {
        return byId.get(activeId);
    }

    Optional<SecretKey> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Ids of every key, the active one first. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        ids.add(activeId);
        byId.keySet().stream().filter(id -> !id.equals(activeId)).sorted().forEach(ids::add);
        return ids;
    }

    private static SecretKey derive(String material) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(key, "AES");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    private static boolean validPairs(List<String> pairs) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            String id = pair.substring(0, eq).trim();
            String material = pair.substring(eq + 1).trim();
            if (!id.matches("[A-Za-z0-9._-]{1,64}") || material.length() < MIN_MATERIAL || !ids.add(id)) {
                return false;
            }
        }
        return !pairs.isEmpty();
    }

    @Override
    public String toString() {
        return "SecretKeys" + ids(); // never the material
    }
}
