package dev.vigil.indexer.scene;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_HEIGHT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_LEFT;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_TOP;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_WIDTH;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_video;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * The default scene engine's per-frame work (OpenCV through JavaCPP): decode the JPEG, scale to at
 * most 640 px wide, measure brightness, contrast and sharpness, update the stream's MOG2 background
 * model for motion, and — at most once per detect interval per stream — detect people (HOG for
 * large figures, Daimler on up-scaled moving regions for small ones) and frontal faces.
 *
 * <p>Thread model: one stream's frames must be analysed in order by one thread at a time (the
 * {@code Lanes} guarantee), because its MOG2 model and detection clock live here. Different streams
 * may be analysed concurrently. OpenCV's own thread pool is turned off: the lanes are the parallelism,
 * and a detector fanning out over every core would steal from the Streams and speech threads.
 */
public final class FrameAnalyzer {

    static final int MAX_WIDTH = 640;
    static final int MOTION_WIDTH = 320;
    private static final long IDLE_EVICT_MS = Duration.ofMinutes(5).toMillis();

    private final long detectIntervalMs;
    private final Map<String, StreamVision> streams = new ConcurrentHashMap<>();
    /** Per lane thread, shared by all analysers: detectors take a second to load. */
    private static final ThreadLocal<Detectors> detectors = ThreadLocal.withInitial(Detectors::new);

    static {
        opencv_core.setNumThreads(1);
    }

    public FrameAnalyzer(Duration detectInterval) {
        this.detectIntervalMs = detectInterval.toMillis();
    }

    /** Per-stream state: the background model and the last detection, carried to frames in between. */
    private static final class StreamVision {
        final BackgroundSubtractorMOG2 mog2 = opencv_video.createBackgroundSubtractorMOG2(120, 25, false);
        long frames;
        long lastDetectTs = Long.MIN_VALUE;
        long lastSeenTs;
        List<Box> people = List.of();
        List<Box> faces = List.of();
    }

    /** Thrown for bytes that are not a decodable image. */
    public static final class UndecodableFrameException extends Exception {
        UndecodableFrameException(String message) {
            super(message);
        }
    }

    /** Analyses one frame of {@code rtstreamId}; call in capture order per stream. */
    @SuppressWarnings("try") // the scope frees the native objects allocated inside it; it is not referenced
    public FrameAnalysis analyse(String rtstreamId, long captureTs, byte[] jpeg) throws UndecodableFrameException {
        StreamVision vision = streams.computeIfAbsent(rtstreamId, id -> new StreamVision());
        vision.lastSeenTs = captureTs;
        // Created outside the scope: the scope frees every native object allocated inside it.
        Detectors d = detectors.get();
        try (PointerScope scope = new PointerScope()) {
            Mat raw = imdecode(new Mat(new BytePointer(jpeg)), IMREAD_COLOR);
            if (raw == null || raw.empty()) {
                throw new UndecodableFrameException("not a decodable image (" + jpeg.length + " bytes)");
            }
            Mat colour = raw;
            if (raw.cols() > MAX_WIDTH) {
                colour = new Mat();
                resize(raw, colour, new Size(MAX_WIDTH, Math.max(1, raw.rows() * MAX_WIDTH / raw.cols())), 0, 0, INTER_AREA);
            }
            int w = colour.cols();
            int h = colour.rows();
            Mat grey = new Mat();
            cvtColor(colour, grey, COLOR_BGR2GRAY);
            double[] luma = meanStd(grey);
            double sharpness = sharpness(grey);

            Mat small = new Mat();
            int sw = Math.min(MOTION_WIDTH, w);
            int sh = Math.max(1, h * sw / w);
            resize(colour, small, new Size(sw, sh), 0, 0, INTER_AREA);
            Mat mask = new Mat();
            vision.mog2.apply(small, mask);
            Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
            morphologyEx(mask, mask, MORPH_OPEN, kernel);
            // The first frames only teach the model the background: everything would look like motion.
            double motion = vision.frames++ < 2 ? 0.0 : countNonZero(mask) / (double) (sw * sh);

            boolean fresh = captureTs >= vision.lastDetectTs + detectIntervalMs || captureTs < vision.lastDetectTs;
            if (fresh) {
                vision.lastDetectTs = captureTs;
                List<float[]> people = new ArrayList<>(d.largePeople(grey));
                if (motion > 0.0005) {
                    morphologyEx(mask, mask, MORPH_CLOSE, getStructuringElement(MORPH_RECT, new Size(7, 7)));
                    for (Rect roi : movingRegions(mask, w / (double) sw, w, h)) {
                        double scale = Math.min(3.0, Math.max(1.0, 120.0 / (roi.height() / 1.6)));
                        people.addAll(d.smallPeople(grey, roi, scale));
                    }
                }
                List<Box> faces = merge(d.faces(grey), w, h);
                vision.people = withFaceOnlyPeople(merge(people, w, h), faces);
                vision.faces = faces;
            }
            evictIdle(captureTs);
            return new FrameAnalysis(captureTs, w, h, motion, luma[0] / 255.0, luma[1] / 255.0, sharpness, fresh,
                    vision.people, vision.faces);
        }
    }

    /** Loads OpenCV and this thread's detectors (seconds on first use), e.g. on each lane at start-up. */
    @SuppressWarnings("try")
    public void warmUp() {
        Detectors d = detectors.get();
        try (PointerScope scope = new PointerScope()) {
            d.largePeople(new Mat(180, 320, opencv_core.CV_8UC1, new org.bytedeco.opencv.opencv_core.Scalar(128.0)));
        }
    }

    /** Forgets a stream's background model (e.g. when its last scene index stops). */
    public void forget(String rtstreamId) {
        streams.remove(rtstreamId);
    }

    private void evictIdle(long now) {
        streams.values().removeIf(s -> now - s.lastSeenTs > IDLE_EVICT_MS);
    }

    private static double[] meanStd(Mat grey) {
        Mat mean = new Mat();
        Mat std = new Mat();
        meanStdDev(grey, mean, std);
        DoubleIndexer m = mean.createIndexer();
        DoubleIndexer s = std.createIndexer();
        return new double[] {m.get(0), s.get(0)};
    }

    private static double sharpness(Mat grey) {
        Mat lap = new Mat();
        Laplacian(grey, lap, CV_64F);
        return Math.pow(meanStd(lap)[1], 2);
    }

    /**
     * Bounding boxes (full-frame pixels, padded) of the moving blobs that could be a person: tall
     * enough to hold a figure the large detector misses, small enough not to be a lighting change.
     */
    private static List<Rect> movingRegions(Mat mask, double toFull, int w, int h) {
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int n = connectedComponentsWithStats(mask, labels, stats, centroids);
        IntIndexer s = stats.createIndexer();
        List<Rect> regions = new ArrayList<>();
        for (int i = 1; i < n && regions.size() < 8; i++) {
            double bh = s.get(i, CC_STAT_HEIGHT) * toFull;
            double bw = s.get(i, CC_STAT_WIDTH) * toFull;
            double area = s.get(i, CC_STAT_AREA) * toFull * toFull;
            if (bh < 16 || bh > 160 || area < 60 || bw > 4 * bh) {
                continue;
            }
            double x = s.get(i, CC_STAT_LEFT) * toFull;
            double y = s.get(i, CC_STAT_TOP) * toFull;
            int padX = (int) Math.max(16, bw * 0.6);
            int padY = (int) Math.max(16, bh * 0.4);
            int x0 = Math.max(0, (int) x - padX);
            int y0 = Math.max(0, (int) y - padY);
            int x1 = Math.min(w, (int) (x + bw) + padX);
            int y1 = Math.min(h, (int) (y + bh) + padY);
            if (x1 - x0 >= 16 && y1 - y0 >= 32) {
                regions.add(new Rect(x0, y0, x1 - x0, y1 - y0));
            }
        }
        return regions;
    }

    /**
     * A face outside every people box is a person too: a close-up at a door camera shows a face and
     * shoulders, which the full-body detectors never see. The body is assumed below the face (3 face
     * widths wide, 7 face heights tall, clipped) so zones can place its feet; score 0.5.
     */
    static List<Box> withFaceOnlyPeople(List<Box> people, List<Box> faces) {
        List<Box> all = new ArrayList<>(people);
        for (Box f : faces) {
            if (people.stream().noneMatch(p -> p.overlap(f) > 0.5)) {
                float x = clamp(f.x() - f.w());
                float y = f.y();
                all.add(new Box(x, y, Math.min(1 - x, 3 * f.w()), Math.min(1 - y, 7 * f.h()), 0.5f));
            }
        }
        return all;
    }

    /** Greedy non-maximum suppression over pixel boxes, then relative coordinates. */
    static List<Box> merge(List<float[]> boxes, int w, int h) {
        List<float[]> sorted = new ArrayList<>(boxes);
        sorted.sort((a, b) -> Float.compare(b[4], a[4]));
        List<Box> kept = new ArrayList<>();
        for (float[] b : sorted) {
            Box box = new Box(clamp(b[0] / w), clamp(b[1] / h), clamp(b[2] / w), clamp(b[3] / h), b[4]);
            if (kept.stream().noneMatch(k -> k.overlap(box) > 0.5)) {
                kept.add(box);
            }
        }
        return kept;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
