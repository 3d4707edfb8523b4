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
 * The API key of a standalone install that configured none: generated once, kept in
 * {@code <data-dir>/api-key} (owner-only permissions) so it survives restarts, and printed at start.
 */
final class LocalApiKey {

    static final String FILE = "api-key";

    private LocalApiKey() {
    }

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (key.length() >= 16) {
                    return key;
                }
            }
            byte[] random = new byte[20];
            new SecureRandom().nextBytes(random);
            String key = "vigil_" + HexFormat.of().formatHex(random);
            Files.createDirectories(dataDir);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the key stays readable as the directory allows.
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the API key file " + file, e);
        }
    }
}
