package dev.vigil.api.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void readsTheThreeFormsOfASingleRange() throws Exception {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=500-", 1000)).contains(new ByteRange(500, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).as("a suffix longer than the object").contains(new ByteRange(0, 999));
        assertThat(ByteRange.parse("bytes=990-5000", 1000)).as("last beyond the end is clipped").contains(new ByteRange(990, 999));
        assertThat(new ByteRange(900, 999).contentRange(1000)).isEqualTo("bytes 900-999/1000");
        assertThat(new ByteRange(900, 999).length()).isEqualTo(100);
    }

    @Test
    void ignoresWhatItDoesNotUnderstand() throws Exception {
        assertThat(ByteRange.parse(null, 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).as("several ranges").isEmpty();
        assertThat(ByteRange.parse("items=0-1", 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=9-3", 1000)).as("last before first").isEmpty();
        assertThat(ByteRange.parse("bytes=-", 1000)).isEmpty();
        assertThat(ByteRange.parse("bytes=99999999999999999999-", 1000)).isEmpty();
    }

    @Test
    void refusesRangesOutsideTheObject() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class)
                .hasMessageContaining("beyond");
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
