package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameSizeTest {

    @Test
    void keepsSmallFramesAsTheyAre() {
        assertThat(FrameSize.fit(640, 360, 1.0, 640)).isEqualTo(new FrameSize(640, 360));
    }

    @Test
    void scalesDownKeepingTheAspectRatio() {
        assertThat(FrameSize.fit(1920, 1080, 1.0, 640)).isEqualTo(new FrameSize(640, 360));
        assertThat(FrameSize.fit(1280, 720, 1.0, 320)).isEqualTo(new FrameSize(320, 180));
    }

    @Test
    void appliesNonSquarePixels() {
        // DVD PAL 16:9: 720x576 with 64:45 pixels shows as 1024x576.
        assertThat(FrameSize.fit(720, 576, 64.0 / 45, 2000)).isEqualTo(new FrameSize(1024, 576));
        assertThat(FrameSize.fit(720, 576, 64.0 / 45, 512)).isEqualTo(new FrameSize(512, 288));
    }

    @Test
    void treatsUnknownAspectAsSquareAndRoundsToEvenSizes() {
        assertThat(FrameSize.fit(641, 361, 0, 1000)).isEqualTo(new FrameSize(642, 362));
        assertThat(FrameSize.fit(640, 360, Double.NaN, 101)).isEqualTo(new FrameSize(100, 56));
    }
}
