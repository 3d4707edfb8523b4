package dev.vigil.ws.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseReasonTest {

    @Test
    void shortReasonsAreKept() {
        assertThat(Connection.truncate("idle timeout")).isEqualTo("idle timeout");
    }

    @Test
    void longReasonsFitAControlFrameOnACharacterBoundary() {
        String reason = "too many refused frames; last: " + "é".repeat(100) + "😀".repeat(20);
        String cut = Connection.truncate(reason);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).endsWith("...");
        assertThat(reason).startsWith(cut.substring(0, cut.length() - 3));
        String emoji = Connection.truncate("😀".repeat(60));
        assertThat(emoji.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(emoji.codePoints().limit(emoji.codePointCount(0, emoji.length()) - 3)).allMatch(c -> c == 0x1F600);
    }
}
