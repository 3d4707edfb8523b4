package dev.vigil.indexer.scene;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Generated 640x360 JPEG test frames. */
final class Frames {

    private Frames() {
    }

    /** Grey background with a red 120x120 square moving 40 px right per step: a moving-object clip. */
    static byte[] movingSquare(int step) {
        Mat m = background();
        int x = 40 + step * 40;
        rectangle(m, new Point(x, 120), new Point(x + 120, 240), new Scalar(30, 30, 220, 0), -1, 8, 0);
        return jpeg(m);
    }

    /** A still, textured scene: grey blocks of seeded random levels (a uniform picture would look covered). */
    private static Mat background() {
        Mat m = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(120, 120, 120, 0));
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < 360; y += 40) {
            for (int x = 0; x < 640; x += 40) {
                int g = 70 + random.nextInt(110);
                rectangle(m, new Point(x, y), new Point(x + 39, y + 39), new Scalar(g, g, g, 0), -1, 8, 0);
            }
        }
        return m;
    }

    /** One grey level everywhere (0 = black lens cap). */
    static byte[] uniform(int level) {
        return jpeg(new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(level, level, level, 0)));
    }

    static byte[] jpeg(Mat m) {
        BytePointer buf = new BytePointer();
        imencode(".jpg", m, buf);
        byte[] out = new byte[(int) buf.limit()];
        buf.get(out);
        return out;
    }
}
