package dev.vigil.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSegmentStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesReadsSizesAndDeletesObjects() throws Exception {
        LocalSegmentStore store = new LocalSegmentStore(dir.resolve("store"));
        Path file = Files.writeString(dir.resolve("seg.ts"), "segment bytes");

        store.put("col-1/rts-1/1000-s1-0.ts", file, "video/mp2t");

        assertThat(store.size("col-1/rts-1/1000-s1-0.ts")).isEqualTo(13);
        try (InputStream in = store.open("col-1/rts-1/1000-s1-0.ts")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("segment bytes");
        }
        assertThat(store.presignedGet("col-1/rts-1/1000-s1-0.ts", Duration.ofMinutes(1))).isEmpty();
        store.delete("col-1/rts-1/1000-s1-0.ts");
        store.delete("col-1/rts-1/1000-s1-0.ts");
        assertThatThrownBy(() -> store.open("col-1/rts-1/1000-s1-0.ts")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void refusesKeysThatLeaveTheRoot() throws Exception {
        LocalSegmentStore store = new LocalSegmentStore(dir);
        for (String key : new String[] {"../x", "/etc/passwd", "a/../../b", "a//b", "", ".hidden", "a/./b"}) {
            assertThatThrownBy(() -> store.open(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
