package dev.vigil.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Secrets of a standalone install that configured none, generated once and kept under the data
 * directory (owner-only permissions) so they survive restarts: the API key ({@code api-key}, printed at
 * start) and the key sealing webhook secrets ({@code secrets-key}, a {@code VIGIL_SECRETS_KEYS} value).
 */
final class LocalSecrets {

    static final String API_KEY_FILE = "api-key";
    static final String SECRETS_KEY_FILE = "secrets-key";

    private LocalSecrets() {
    }

    /** The API key, {@code vigil_} and 40 hex digits. */
    static String apiKey(Path dataDir) {
        return loadOrCreate(dataDir.resolve(API_KEY_FILE), 16, "vigil_" + randomHex(20));
    }

    /** The webhook secrets' key as {@code id=material}, 64 hex digits of material. */
    static String secretsKey(Path dataDir) {
        return loadOrCreate(dataDir.resolve(SECRETS_KEY_FILE), 40, "local=" + randomHex(32));
    }

    private static String loadOrCreate(Path file, int minLength, String fresh) {
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (kept.length() >= minLength) {
                    return kept;
                }
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the file stays readable as the directory allows.
            }
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
