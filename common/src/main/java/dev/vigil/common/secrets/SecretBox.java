package dev.vigil.common.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens short secrets with AES-256-GCM (the JDK's provider): a random 96-bit nonce per
 * seal, a 128-bit tag, and associated data chosen by the caller (the alert id for webhook secrets, so
 * a sealed secret copied onto another alert does not open). Output: base64 of nonce ‖ ciphertext ‖ tag.
 * Thread-safe.
 */
public final class SecretBox {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeys keys;
    private final SecureRandom random = new SecureRandom();

    /** A secret sealed under key {@code keyId}. */
    public record Sealed(String keyId, String sealed) {
    }

    /** A sealed secret that cannot be opened: unknown key, or tampered with. Never carries the secret. */
    public static final class UnsealException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsealException(String message) {
            super(message, null, false, false);
        }
    }

    public SecretBox(SecretKeys keys) {
        this.keys = Objects.requireNonNull(keys);
    }

    /** The id of the key new seals use. */
    public String activeKeyId() {
        return keys.activeId();
    }

    /** Seals {@code secret} with the active key, bound to {@code associatedData}. */
    public Sealed seal(String secret, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.active(), nonce, associatedData);
            byte[] ciphertext = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext);
            return new Sealed(keys.activeId(), Base64.getEncoder().encodeToString(out.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JRE", e);
        }
    }

    /** Opens a secret sealed under {@code keyId} with {@code associatedData}. */
    public String open(String keyId, String sealed, String associatedData) throws UnsealException {
        SecretKey key = keys.find(keyId).orElseThrow(() -> new UnsealException(
                "the secret is sealed with key '" + keyId + "', which VIGIL_SECRETS_KEYS does not hold"));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new UnsealException("the sealed secret is not base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnsealException("the sealed secret is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(bytes, NONCE_BYTES), associatedData);
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // AEADBadTagException: wrong key material for this id, another alert's secret, or tampering.
            throw new UnsealException("the sealed secret does not open with key '" + keyId + "' (wrong key or altered)");
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String associatedData)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
