package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;

import dev.vigil.ingest.media.DecodeSkipping.Level;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeSkippingTest {

    private static final long INTERVAL = 500_000;
    private static final long FRAME = 40_000;

    private final List<Integer> told = new ArrayList<>();

    @Test
    void skipsNonReferencePicturesOnlyWhenSamplingIsAtMostHalfTheFrameRate() {
        assertThat(new DecodeSkipping(INTERVAL, FRAME, true, told::add).level()).isEqualTo(Level.NONREF);
        assertThat(told).containsExactly(AVDISCARD_NONREF);
        told.clear();
        // 25 fps sampled at 25 fps (interval 40 ms): every picture is needed.
        assertThat(new DecodeSkipping(FRAME, FRAME, true, told::add).level()).isEqualTo(Level.FULL);
        assertThat(new DecodeSkipping(INTERVAL, 0, true, told::add).level()).isEqualTo(Level.FULL);
        assertThat(new DecodeSkipping(INTERVAL, FRAME, true, null).level()).isEqualTo(Level.FULL);
        assertThat(told).isEmpty();
    }

    @Test
    void decodesKeyFramesOnlyAfterThreeKeyIntervalsWithinTheSamplingInterval() {
        DecodeSkipping skipping = new DecodeSkipping(INTERVAL, FRAME, true, told::add);
        for (long t = 0; t <= 1_200_000; t += 40_000) {
            assertThat(skipping.onPicture(t, t % 400_000 == 0)).isTrue();
            assertThat(skipping.level()).isEqualTo(t < 1_200_000 ? Level.NONREF : Level.KEY_ONLY);
        }
        assertThat(told).containsExactly(AVDISCARD_NONREF, AVDISCARD_NONKEY);
    }

    @Test
    void longKeyIntervalsOrVideoOnlySourcesKeepNonReferenceSkipping() {
        DecodeSkipping longGop = new DecodeSkipping(INTERVAL, FRAME, true, told::add);
        DecodeSkipping videoOnly = new DecodeSkipping(INTERVAL, FRAME, false, told::add);
        for (long t = 0; t <= 10_000_000; t += 160_000) {
            longGop.onPicture(t, t % 960_000 == 0);
            videoOnly.onPicture(t, t % 320_000 == 0);
        }
        assertThat(longGop.level()).isEqualTo(Level.NONREF);
        assertThat(videoOnly.level()).isEqualTo(Level.NONREF);
    }

    @Test
    void fallsBackToFullDecodingWhenPicturesComeFurtherApartThanTheInterval() {
        DecodeSkipping skipping = new DecodeSkipping(200_000, FRAME, false, told::add);
        skipping.onPicture(0, true);
        skipping.onPicture(320_000, false);
        assertThat(skipping.level()).isEqualTo(Level.FULL);
        assertThat(skipping.fallbacks()).isEqualTo(1);
        assertThat(told).containsExactly(AVDISCARD_NONREF, AVDISCARD_DEFAULT);
    }

    @Test
    void leavesKeyOnlyWhenKeyFramesStopAndWaitsForTheNextKeyFrameBeforeSampling() {
        DecodeSkipping skipping = keyOnly();
        // Audio goes on, no picture: key frames stopped coming.
        skipping.onAudio(1_200_000 + INTERVAL + DecodeSkipping.AUDIO_LEAD_US + 1);
        assertThat(skipping.level()).isEqualTo(Level.NONREF);
        // Non-key pictures now refer to skipped ones: not sampled until a key frame (or the resync time).
        assertThat(skipping.onPicture(3_800_000, false)).isFalse();
        assertThat(skipping.onPicture(3_840_000, true)).isTrue();
        assertThat(skipping.onPicture(3_880_000, false)).isTrue();
        // Ruled out for this session: short key intervals again do not bring it back.
        for (long t = 4_000_000; t <= 6_000_000; t += 400_000) {
            skipping.onPicture(t, true);
        }
        assertThat(skipping.level()).isEqualTo(Level.NONREF);
    }

    @Test
    void aPictureGapInKeyOnlyFallsBackOneLevel() {
        DecodeSkipping skipping = keyOnly();
        skipping.onPicture(1_200_000 + 2 * INTERVAL, true);
        assertThat(skipping.level()).isEqualTo(Level.NONREF);
        assertThat(told).containsExactly(AVDISCARD_NONREF, AVDISCARD_NONKEY, AVDISCARD_NONREF);
    }

    @Test
    void aLoopIsNotAGap() {
        DecodeSkipping skipping = new DecodeSkipping(INTERVAL, FRAME, true, told::add);
        skipping.onPicture(5_000_000, false);
        skipping.discontinuity();
        skipping.onPicture(9_000_000, true);
        assertThat(skipping.level()).isEqualTo(Level.NONREF);
    }

    private DecodeSkipping keyOnly() {
        DecodeSkipping skipping = new DecodeSkipping(INTERVAL, FRAME, true, told::add);
        for (long t = 0; t <= 1_200_000; t += 400_000) {
            skipping.onPicture(t, true);
        }
        assertThat(skipping.level()).isEqualTo(Level.KEY_ONLY);
        return skipping;
    }
}
