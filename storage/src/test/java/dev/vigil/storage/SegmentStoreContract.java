package dev.vigil.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.storage.SegmentStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SegmentStore} does, run against each backend by a subclass that supplies the store:
 * the local directory and a real S3-compatible server must behave the same.
 */
abstract class SegmentStoreContract {

    @TempDir
    Path tmp;

    /** A fresh, empty store. */
    abstract SegmentStore store() throws Exception;

    @Test
    void storesReadsSizesAndDeletesAnObject() throws Exception {
        SegmentStore store = store();
        byte[] bytes = randomBytes(300_000);
        Path file = Files.write(tmp.resolve("seg.ts"), bytes);

        store.put("col-1/rts-1/1000-s1-0.ts", file, "video/mp2t");

        assertThat(store.size("col-1/rts-1/1000-s1-0.ts")).isEqualTo(bytes.length);
        try (InputStream in = store.open("col-1/rts-1/1000-s1-0.ts")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        store.delete("col-1/rts-1/1000-s1-0.ts");
        assertThatThrownBy(() -> store.open("col-1/rts-1/1000-s1-0.ts")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.size("col-1/rts-1/1000-s1-0.ts")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deletingAMissingObjectIsNotAnError() throws Exception {
        SegmentStore store = store();
        store.delete("col-1/rts-1/never-written.ts");
        Path file = Files.writeString(tmp.resolve("a.ts"), "x");
        store.put("col-1/rts-1/a.ts", file, "video/mp2t");
        store.delete("col-1/rts-1/a.ts");
        store.delete("col-1/rts-1/a.ts");
        assertThatThrownBy(() -> store.size("col-1/rts-1/a.ts")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aSecondPutReplacesTheObject() throws Exception {
        SegmentStore store = store();
        store.put("col-1/rts-1/k.ts", Files.writeString(tmp.resolve("1.ts"), "first version"), "video/mp2t");
        store.put("col-1/rts-1/k.ts", Files.writeString(tmp.resolve("2.ts"), "second"), "video/mp2t");
        try (InputStream in = store.open("col-1/rts-1/k.ts")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("second");
        }
        assertThat(store.size("col-1/rts-1/k.ts")).isEqualTo(6);
    }

    @Test
    void keysOfOneStreamDoNotSeeAnothers() throws Exception {
        SegmentStore store = store();
        store.put("col-1/rts-1/0-s-0.ts", Files.writeString(tmp.resolve("a.ts"), "a"), "video/mp2t");
        assertThatThrownBy(() -> store.open("col-1/rts-2/0-s-0.ts")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void refusesKeysThatLeaveTheRoot() throws Exception {
        SegmentStore store = store();
        Path file = Files.writeString(tmp.resolve("x.ts"), "x");
        for (String key : new String[] {"../x", "/etc/passwd", "a/../../b", "a//b", "", ".hidden", "a/./b", "a b"}) {
            assertThatThrownBy(() -> store.put(key, file, "video/mp2t")).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void describesItselfWithoutSecrets() throws Exception {
        assertThat(store().describe()).isNotBlank().doesNotContain("secret");
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }
}
