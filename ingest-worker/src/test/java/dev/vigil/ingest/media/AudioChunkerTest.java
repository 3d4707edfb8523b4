package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioChunkerTest {

    private final List<AudioChunker.Chunk> chunks = new ArrayList<>();
    private final AudioChunker chunker = new AudioChunker(16_000, 500, chunks::add);

    private static ShortBuffer samples(int count, short value) {
        short[] s = new short[count];
        java.util.Arrays.fill(s, value);
        return ShortBuffer.wrap(s);
    }

    @Test
    void cutsContiguousChunksOfTheConfiguredLength() {
        long t = 0;
        for (int i = 0; i < 100; i++) {
            chunker.add(samples(400, (short) 1), t, 1_000_000 + t / 1000);
            t += 25_000;
        }
        // 100 x 400 samples = 40,000 = 5 chunks of 8,000.
        assertThat(chunks).hasSize(5);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startMs()).isEqualTo(1_000_000 + 500L * i);
            assertThat(chunks.get(i).durationMs()).isEqualTo(500);
            assertThat(chunks.get(i).pcm()).hasSize(16_000);
        }
    }

    @Test
    void writesLittleEndianSigned16BitSamples() {
        chunker.add(samples(8_000, (short) -2), 0, 0);
        byte[] pcm = chunks.get(0).pcm();
        assertThat(pcm[0]).isEqualTo((byte) 0xFE);
        assertThat(pcm[1]).isEqualTo((byte) 0xFF);
    }

    @Test
    void flushEmitsTheRestAsAShorterLastChunk() {
        chunker.add(samples(12_000, (short) 1), 0, 5_000);
        chunker.flush();
        assertThat(chunks).extracting(AudioChunker.Chunk::startMs).containsExactly(5_000L, 5_500L);
        assertThat(chunks).extracting(AudioChunker.Chunk::durationMs).containsExactly(500, 250);
        chunker.flush();
        assertThat(chunks).hasSize(2);
    }

    @Test
    void fillsAShortGapWithSilenceToStayAligned() {
        chunker.add(samples(4_000, (short) 7), 0, 0);
        // 250 ms of samples, then the next frame arrives at 500 ms: 250 ms were lost.
        chunker.add(samples(8_000, (short) 7), 500_000, 500);
        assertThat(chunks).extracting(AudioChunker.Chunk::startMs).containsExactly(0L, 500L);
        byte[] pcm = chunks.get(0).pcm();
        assertThat(pcm[2 * 3_999]).isEqualTo((byte) 7);
        assertThat(pcm[2 * 4_000]).isZero();
        assertThat(chunks.get(1).pcm()[0]).isEqualTo((byte) 7);
        chunker.flush();
        assertThat(chunks).hasSize(2);
    }

    @Test
    void ignoresTimestampJitter() {
        chunker.add(samples(4_000, (short) 1), 0, 0);
        chunker.add(samples(4_000, (short) 1), 250_000 + 30_000, 280);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).pcm()).hasSize(16_000);
    }

    @Test
    void restartsTheTimelineAfterALongGap() {
        chunker.add(samples(4_000, (short) 1), 0, 1_000);
        chunker.add(samples(8_000, (short) 1), 60_000_000, 61_000);
        assertThat(chunks).extracting(AudioChunker.Chunk::startMs).containsExactly(1_000L, 61_000L);
        assertThat(chunks).extracting(AudioChunker.Chunk::durationMs).containsExactly(250, 500);
    }
}
