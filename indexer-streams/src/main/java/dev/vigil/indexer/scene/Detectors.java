package dev.vigil.indexer.scene;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * People and face detectors of one lane thread (OpenCV's cascade classifier is not thread-safe):
 * the default HOG people detector (64x128 window) for people at least ~120 px tall, the Daimler
 * detector (48x96) run on up-scaled motion regions for small figures, and the Haar frontal face
 * cascade that ships inside the bytedeco opencv jar.
 */
final class Detectors {

    /** HOG scores of true people on our fixtures are 0.9–1.4; nothing else reached 0.3 (calibration in DESIGN.md). */
    static final double HOG_THRESHOLD = 0.3;
    /** Daimler is only run on moving regions, which removes the textures it fires on; its hits there score 0.5–5. */
    static final double DAIMLER_THRESHOLD = 0.6;

    private final HOGDescriptor hog;
    private final HOGDescriptor daimler;
    private final CascadeClassifier faces;
    /** Buffers of the face search, reused (one Detectors per lane thread). */
    private final Mat half = new Mat();
    private final Mat eq = new Mat();
    private final Mat big = new Mat();

    Detectors() {
        hog = new HOGDescriptor();
        hog.setSVMDetector(new Mat(HOGDescriptor.getDefaultPeopleDetector()));
        daimler = new HOGDescriptor(new Size(48, 96), new Size(16, 16), new Size(8, 8), new Size(8, 8), 9);
        daimler.setSVMDetector(new Mat(HOGDescriptor.getDaimlerPeopleDetector()));
        faces = new CascadeClassifier(cascade("haarcascade_frontalface_alt2.xml").getAbsolutePath());
        if (faces.empty()) {
            throw new IllegalStateException("cannot load the Haar face cascade from the opencv jar");
        }
    }

    private static File cascade(String file) {
        String path = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + file;
        try {
            return Loader.cacheResource(Detectors.class, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + path, e);
        }
    }

    /** People of at least ~120 px on the full grey frame, in pixels of {@code grey}. */
    List<float[]> largePeople(Mat grey) {
        RectVector found = new RectVector();
        DoublePointer weights = new DoublePointer();
        // No padding (was 8 px): same counts on the demo clip and the fixtures, fewer windows. A pyramid step
        // of 1.15 or 1.2 would halve the levels but loses person.jpg's walker (SceneAnalysisBench).
        hog.detectMultiScale(grey, found, weights, 0.0, new Size(8, 8), new Size(0, 0), 1.1, 2.0, false);
        List<float[]> boxes = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            double w = weights.get(i);
            if (w >= HOG_THRESHOLD) {
                Rect r = found.get(i);
                // HOG boxes carry ~10 % margin around the person; shrink so feet are where the person stands.
                boxes.add(new float[] {r.x() + r.width() * 0.1f, r.y() + r.height() * 0.05f,
                        r.width() * 0.8f, r.height() * 0.9f, (float) w});
            }
        }
        return boxes;
    }

    /**
     * Small people inside {@code roi} of {@code grey}: the region is up-scaled by {@code scale} so a
     * figure of the blob's height fills the Daimler window, then boxes are mapped back to {@code grey}.
     */
    List<float[]> smallPeople(Mat grey, Rect roi, double scale) {
        Mat crop = new Mat(grey, roi);
        resize(crop, big, new Size((int) Math.round(roi.width() * scale), (int) Math.round(roi.height() * scale)),
                0, 0, INTER_LINEAR);
        List<float[]> boxes = new ArrayList<>();
        if (big.cols() < 48 || big.rows() < 96) {
            return boxes;
        }
        RectVector found = new RectVector();
        DoublePointer weights = new DoublePointer();
        // Window stride 8 px on the up-scaled region (≤ 3 px of the frame; was 4): a quarter of the windows.
        // On the labelled vtest frames 6 and 7 people instead of 5 and 6 (labels 6 and 7): the coarser
        // grid yields fewer overlapping hits for NMS to merge wrongly.
        daimler.detectMultiScale(big, found, weights, 0.0, new Size(8, 8), new Size(8, 8), 1.1, 2.0, false);
        for (int i = 0; i < found.size(); i++) {
            double w = weights.get(i);
            if (w >= DAIMLER_THRESHOLD) {
                Rect r = found.get(i);
                boxes.add(new float[] {(float) (roi.x() + r.x() / scale), (float) (roi.y() + r.y() / scale),
                        (float) (r.width() / scale), (float) (r.height() / scale), (float) w});
            }
        }
        return boxes;
    }

    /** Frontal faces of at least ~40 px, searched at half resolution, in pixels of {@code grey}. */
    List<float[]> faces(Mat grey) {
        resize(grey, half, new Size(grey.cols() / 2, grey.rows() / 2));
        equalizeHist(half, eq);
        RectVector found = new RectVector();
        // Scale step 1.2 (was 1.1): half the cascade's levels; the portrait fixture's face is still found.
        faces.detectMultiScale(eq, found, 1.2, 4, 0, new Size(20, 20), new Size());
        List<float[]> boxes = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Rect r = found.get(i);
            boxes.add(new float[] {r.x() * 2f, r.y() * 2f, r.width() * 2f, r.height() * 2f, 1f});
        }
        return boxes;
    }
}
