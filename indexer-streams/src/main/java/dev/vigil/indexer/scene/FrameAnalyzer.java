package dev.vigil.indexer.scene;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
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
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
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
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * The default scene engine's per-frame work (OpenCV through JavaCPP): decode the JPEG, scale to at
 * most 640 px wide, measure brightness, contrast and sharpness, update the stream's
 * MOG2 background model for motion, and — at most once per detect interval per stream, and only when
 * something moved since the last detection or it is older than the max age — detect people (HOG for
 * large figures, Daimler on up-scaled moving regions for small ones) and frontal faces.
 *
 * <p>The JPEG is decoded once and converted to grey once; the measures and detectors share that grey
 * picture, MOG2 gets a 320 px colour copy (on luma alone it absorbs small walkers sooner: the labelled
 * vtest frames lost 1–2 people when tried). The native buffers of a lane thread ({@link Workspace})
 * are allocated once and reused for every frame.
 *
 * <p>Thread model: one stream's frames must be analysed in order by one thread at a time (the
 * {@code Lanes} guarantee), because its MOG2 model and detection clock live here. Different streams
 * may be analysed concurrently. OpenCV's own thread pool is turned off: the lanes are the parallelism,
 * and a detector fanning out over every core would steal from the Streams and speech threads.
 */
public final class FrameAnalyzer {

    static final int MAX_WIDTH = 640;
    static final int MOTION_WIDTH = 320;
    /**
     * Moving fraction below which a picture counts as unchanged: the same gate the small-people detector
     * uses (below it no moving region could hold a figure), ~29 px of the 320 px motion picture.
     */
    static final double STILL = 0.0005;
    private static final long IDLE_EVICT_MS = Duration.ofMinutes(5).toMillis();

    private final long detectIntervalMs;
    private final long detectMaxAgeMs;
    private final Map<String, StreamVision> streams = new ConcurrentHashMap<>();
    /** Per lane thread, shared by all analysers: detectors take a second to load, buffers are reused. */
    private static final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    static {
        opencv_core.setNumThreads(1);
    }

    /** Detects at every interval (no motion gate). */
    public FrameAnalyzer(Duration detectInterval) {
        this(detectInterval, Duration.ZERO);
    }

    /**
     * @param detectInterval at most one detection per stream per interval
     * @param detectMaxAge   while nothing moves, the last detections are reused for at most this long
     *                       (zero: detect at every interval regardless of motion)
     */
    public FrameAnalyzer(Duration detectInterval, Duration detectMaxAge) {
        this.detectIntervalMs = detectInterval.toMillis();
        this.detectMaxAgeMs = detectMaxAge.toMillis();
    }

    /** Per-stream state: the background model and the last detection, carried to frames in between. */
    private static final class StreamVision {
        final BackgroundSubtractorMOG2 mog2 = opencv_video.createBackgroundSubtractorMOG2(120, 25, false);
        long frames;
        long lastDetectTs = Long.MIN_VALUE;
        long lastSeenTs;
        /** Largest moving fraction of the frames since the last detection (the motion gate). */
        double motionSinceDetect;
        List<Box> people = List.of();
        List<Box> faces = List.of();
    }

    /**
     * The native buffers of one lane thread, reused for every frame of every stream (OpenCV reallocates
     * a destination only when the size changes): the compressed input, the decoded and scaled luma, the
     * motion picture and mask, the Laplacian; plus the thread's detectors.
     */
    private static final class Workspace {
        final Detectors detectors = new Detectors();
        BytePointer input = new BytePointer(64 * 1024);
        final Mat decoded = new Mat();
        final Mat scaled = new Mat();
        final Mat grey = new Mat();
        final Mat small = new Mat();
        final Mat mask = new Mat();
        final Mat laplacian = new Mat();
        final Mat mean = new Mat();
        final Mat std = new Mat();
        final Mat open3 = getStructuringElement(MORPH_RECT, new Size(3, 3));
        final Mat close7 = getStructuringElement(MORPH_RECT, new Size(7, 7));

        /** The JPEG as a colour picture at most {@link #MAX_WIDTH} wide, or null when it does not decode. */
        Mat colour(byte[] jpeg) {
            if (input.capacity() < jpeg.length) {
                input.close();
                input = new BytePointer(Math.max(jpeg.length, 2 * input.capacity()));
            }
            input.position(0).put(jpeg, 0, jpeg.length);
            // On failure imdecode returns an empty Mat but leaves the destination as it was (the last
            // frame): the result, not the buffer, says whether this JPEG decoded.
            try (Mat encoded = new Mat(1, jpeg.length, opencv_core.CV_8UC1, input);
                    Mat result = imdecode(encoded, IMREAD_COLOR, decoded)) {
                if (result == null || result.empty()) {
                    return null;
                }
            }
            if (decoded.cols() <= MAX_WIDTH) {
                return decoded;
            }
            resize(decoded, scaled, new Size(MAX_WIDTH, Math.max(1, decoded.rows() * MAX_WIDTH / decoded.cols())), 0, 0,
                    INTER_AREA);
            return scaled;
        }

        double[] meanStd(Mat m) {
            meanStdDev(m, mean, std);
            try (DoubleIndexer mi = mean.createIndexer(); DoubleIndexer si = std.createIndexer()) {
                return new double[] {mi.get(0), si.get(0)};
            }
        }

        double sharpness(Mat grey) {
            Laplacian(grey, laplacian, CV_64F);
            return Math.pow(meanStd(laplacian)[1], 2);
        }
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
        Workspace ws = workspaces.get();
        try (PointerScope scope = new PointerScope()) {
            Mat colour = ws.colour(jpeg);
            if (colour == null) {
                throw new UndecodableFrameException("not a decodable image (" + jpeg.length + " bytes)");
            }
            int w = colour.cols();
            int h = colour.rows();
            Mat grey = ws.grey;
            cvtColor(colour, grey, COLOR_BGR2GRAY);
            double[] luma = ws.meanStd(grey);
            double sharpness = ws.sharpness(grey);

            int sw = Math.min(MOTION_WIDTH, w);
            int sh = Math.max(1, h * sw / w);
            resize(colour, ws.small, new Size(sw, sh), 0, 0, INTER_AREA);
            Mat mask = ws.mask;
            vision.mog2.apply(ws.small, mask);
            morphologyEx(mask, mask, MORPH_OPEN, ws.open3);
            // The first frames only teach the model the background: everything would look like motion.
            double motion = vision.frames++ < 2 ? 0.0 : countNonZero(mask) / (double) (sw * sh);
            vision.motionSinceDetect = Math.max(vision.motionSinceDetect, motion);

            if (detectionDue(vision, captureTs)) {
                vision.lastDetectTs = captureTs;
                vision.motionSinceDetect = 0;
                Detectors d = ws.detectors;
                List<float[]> people = new ArrayList<>(d.largePeople(grey));
                if (motion > STILL) {
                    morphologyEx(mask, mask, MORPH_CLOSE, ws.close7);
                    for (Rect roi : movingRegions(mask, w / (double) sw, w, h)) {
                        double scale = Math.min(3.0, Math.max(1.0, 120.0 / (roi.height() / 1.6)));
                        people.addAll(d.smallPeople(grey, roi, scale));
                    }
                }
                List<Box> faces = merge(d.faces(grey), w, h);
                vision.people = withFaceOnlyPeople(merge(people, w, h), faces);
                vision.faces = faces;
                evictIdle(captureTs);
                return new FrameAnalysis(captureTs, w, h, motion, luma[0] / 255.0, luma[1] / 255.0, sharpness, true,
                        vision.people, vision.faces);
            }
            evictIdle(captureTs);
            return new FrameAnalysis(captureTs, w, h, motion, luma[0] / 255.0, luma[1] / 255.0, sharpness, false,
                    vision.people, vision.faces);
        }
    }

    /**
     * Whether this frame gets a people/face detection: the interval has passed (or time went backwards, a
     * restarted source), and the picture changed since the last detection — some frame since then moved
     * more than {@link #STILL} — or that detection is older than the max age. What is reused while
     * nothing moves is therefore at most {@code detectMaxAge} old; a figure that walks in moves, so it is
     * detected at the next interval. Who stands still is exactly who was there at the last detection.
     */
    private boolean detectionDue(StreamVision vision, long captureTs) {
        if (vision.lastDetectTs == Long.MIN_VALUE || captureTs < vision.lastDetectTs) {
            return true;
        }
        long age = captureTs - vision.lastDetectTs;
        if (age < detectIntervalMs) {
            return false;
        }
        return vision.motionSinceDetect > STILL || age >= detectMaxAgeMs;
    }

    /**
     * Loads OpenCV and this thread's detectors (seconds on first use) and runs the whole analysis over a
     * few synthetic frames, so native code is paged in and the Java side compiled before the first real
     * frame (e.g. on each lane at start-up). Uses, then forgets, a stream of its own.
     */
    public void warmUp() {
        String stream = "warm-up-" + Thread.currentThread().getName();
        try {
            for (int i = 0; i < WARM_UP_FRAMES; i++) {
                analyse(stream, i * 500L, syntheticFrame(i));
            }
        } catch (UndecodableFrameException e) {
            throw new IllegalStateException("OpenCV cannot decode its own JPEG", e);
        } finally {
            forget(stream);
        }
    }

    private static final int WARM_UP_FRAMES = 4;

    /** A 640x360 textured JPEG with a bright block that moves, so motion and both detectors run. */
    @SuppressWarnings("try")
    private static byte[] syntheticFrame(int step) {
        try (PointerScope scope = new PointerScope()) {
            Mat m = new Mat(360, 640, opencv_core.CV_8UC3, new Scalar(90, 90, 90, 0));
            for (int y = 0; y < 360; y += 40) {
                for (int x = (y / 40) % 2 * 40; x < 640; x += 80) {
                    rectangle(m, new Point(x, y), new Point(x + 39, y + 39), new Scalar(160, 160, 160, 0), -1, 8, 0);
                }
            }
            int x = 60 + step * 60;
            rectangle(m, new Point(x, 100), new Point(x + 40, 220), new Scalar(230, 230, 230, 0), -1, 8, 0);
            BytePointer buf = new BytePointer();
            imencode(".jpg", m, buf);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    /** Forgets a stream's background model (e.g. when its last scene index stops). */
    public void forget(String rtstreamId) {
        streams.remove(rtstreamId);
    }

    private void evictIdle(long now) {
        streams.values().removeIf(s -> now - s.lastSeenTs > IDLE_EVICT_MS);
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
