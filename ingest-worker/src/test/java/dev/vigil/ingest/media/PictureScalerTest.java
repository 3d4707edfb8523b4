package dev.vigil.ingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.testing.MediaFiles;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampled-frame conversion gives the picture the grabber's own BGR conversion gives. */
class PictureScalerTest {

    @TempDir
    static Path dir;
    static Path clip;

    @BeforeAll
    static void clip() {
        MediaFiles.assumeFfmpeg();
        clip = MediaFiles.clip(dir, "scaler.mp4", 2, 640, 360);
    }

    @Test
    void convertsARawPictureLikeTheGrabbersBgrPath() throws Exception {
        assertThat(meanDifference(640, 360)).isLessThan(1.0);
    }

    @Test
    void scalesWhileConverting() throws Exception {
        assertThat(meanDifference(320, 180)).isLessThan(2.0);
    }

    /** Mean absolute difference per byte between PictureScaler's image and JavaCV's, of the 10th frame. */
    private static double meanDifference(int width, int height) throws Exception {
        BufferedImage expected;
        try (FFmpegFrameGrabber bgr = new FFmpegFrameGrabber(clip.toString()); Java2DFrameConverter converter = new Java2DFrameConverter()) {
            bgr.start();
            bgr.setImageWidth(width);
            bgr.setImageHeight(height);
            expected = converter.getBufferedImage(tenthVideoFrame(bgr));
            bgr.stop();
        }
        BufferedImage actual;
        try (FFmpegFrameGrabber raw = new FFmpegFrameGrabber(clip.toString()); PictureScaler scaler = new PictureScaler()) {
            raw.setImageMode(FrameGrabber.ImageMode.RAW);
            raw.start();
            actual = scaler.toBgr((AVFrame) tenthVideoFrame(raw).opaque, width, height);
            raw.stop();
        }
        assertThat(actual.getWidth()).isEqualTo(width);
        assertThat(actual.getHeight()).isEqualTo(height);
        assertThat(actual.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        byte[] a = ((DataBufferByte) actual.getRaster().getDataBuffer()).getData();
        BufferedImage expectedBgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        expectedBgr.getGraphics().drawImage(expected, 0, 0, null);
        byte[] e = ((DataBufferByte) expectedBgr.getRaster().getDataBuffer()).getData();
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (e[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    private static Frame tenthVideoFrame(FFmpegFrameGrabber grabber) throws Exception {
        Frame frame = null;
        for (int i = 0; i < 10; i++) {
            frame = grabber.grabImage();
        }
        return frame;
    }
}
