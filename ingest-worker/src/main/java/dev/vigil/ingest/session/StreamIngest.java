package dev.vigil.ingest.session;

import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.media.AudioChunker;
import dev.vigil.ingest.media.FrameSampler;
import dev.vigil.ingest.media.FrameSize;
import dev.vigil.ingest.media.JpegEncoder;
import dev.vigil.ingest.media.MediaClock;
import dev.vigil.ingest.publish.StreamMetrics;
import dev.vigil.ingest.source.FfmpegErrors;
import dev.vigil.ingest.source.FfmpegLog;
import dev.vigil.ingest.source.Grabbers;
import dev.vigil.ingest.source.ReadInterrupt;
import dev.vigil.ingest.source.SourceException;
import dev.vigil.ingest.source.SourceKind;
import dev.vigil.ingest.source.StreamSource;
import dev.vigil.schemas.control.IngestState;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.AudioEncoding;
import dev.vigil.schemas.media.ImageFormat;
import dev.vigil.schemas.media.MediaFrame;
import dev.vigil.schemas.control.MediaType;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one stream on its own thread ({@code vigil-ingest-<rtstream id>}) until stopped: opens the
 * source with FFmpeg, keeps the frames its {@code sample_rate} asks for (scaled, JPEG) and cuts its
 * audio into 16 kHz chunks, writing them to {@code media.frames} and {@code media.audio}; reports
 * CONNECTING, CONNECTED, RECONNECTING, ERROR and ENDED on {@code rtstreams.status}.
 *
 * <p>Every wait is bounded so the thread always ends: network reads by FFmpeg's timeouts (see
 * {@link Grabbers}), a connection whose video stops while it stays open by the watchdog, reconnects
 * by the back-off and the retry limit, pacing and back-off sleeps by the stop signal. Local files,
 * and errors no retry can fix, go to ERROR at once; a network source that keeps failing goes to ERROR
 * after {@code maxRetries} consecutive failures. A file ends in ENDED (or loops); a network source
 * that ends is reconnected, unless it is a recording (it has a duration) that was read to its end.
 *
 * <p>{@link #stop()} may be called from any thread; once it returns this stream writes nothing more
 * (its owner writes the final status), and the thread ends within about the I/O timeout.
 */
final class StreamIngest implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StreamIngest.class);

    /** A session that delivered media this long was healthy: its failure restarts the back-off. */
    static final Duration HEALTHY_SESSION = Duration.ofSeconds(10);
    /** A recording read to within this of its duration was read to its end. */
    private static final long END_TOLERANCE_US = 2_000_000;
    private static final long DEFAULT_FRAME_US = 40_000;
    private static final long STALL_MEMORY_NANOS = 2_000_000_000L;
    /**
     * Paced media due within this is read at once: a thread then wakes about 20 times a second
     * instead of once per video and audio frame (~50), which matters with dozens of streams per core.
     */
    private static final long PACING_SLACK_NANOS = 50_000_000L;

    private final RtStreamSpec spec;
    private final String id;
    private final IngestWorkerConfig config;
    private final IngestContext context;
    private final StreamMetrics metrics;
    private final Backoff backoff;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Object statusLock = new Object();
    private volatile boolean stopping;
    private volatile IngestState state;
    private volatile Thread thread;
    private long reconnects;
    /** End of the previous session's media if it ended cleanly (not by a timeout), else -1. */
    private long previousCleanEndUs = -1;

    StreamIngest(RtStreamSpec spec, IngestContext context, StreamMetrics metrics) {
        this.spec = spec;
        this.id = spec.getId();
        this.config = context.config();
        this.context = context;
        this.metrics = metrics;
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
    }

    /** A stream that already ended under an earlier owner: no thread, state ENDED. */
    static StreamIngest ended(RtStreamSpec spec, IngestContext context) {
        StreamIngest ingest = new StreamIngest(spec, context, null);
        ingest.state = IngestState.ENDED;
        return ingest;
    }

    /** Starts the stream's thread. */
    void start() {
        Thread t = new Thread(this, "vigil-ingest-" + id);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Asks the thread to stop; after this returns the stream writes no further status. */
    void stop() {
        synchronized (statusLock) {
            stopping = true;
        }
        stopSignal.countDown();
    }

    /** Waits up to {@code timeout} for the thread to end; whether it has. */
    boolean join(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** The last state this stream reported, or null before the first. */
    IngestState state() {
        return state;
    }

    RtStreamSpec spec() {
        return spec;
    }

    @Override
    public void run() {
        try {
            ingest();
        } catch (RuntimeException | Error e) {
            // A bug, not a source problem: the stream says so instead of silently going quiet.
            log.error("Stream {} failed unexpectedly", id, e);
            report(IngestState.ERROR, "internal error: " + e);
        } finally {
            FfmpegLog.clear();
        }
    }

    private void ingest() {
        StreamSource source;
        try {
            source = StreamSource.parse(spec.getUrl(), config.allowFiles(), config.fileRoot(), config.loopFiles());
        } catch (SourceException e) {
            log.info("Stream {}: {}", id, e.getMessage());
            report(IngestState.ERROR, e.publicReason());
            return;
        }
        report(IngestState.CONNECTING, "opening " + source.redactedUrl());
        int failures = 0;
        while (!stopping) {
            Outcome outcome = new Session(source).run();
            switch (outcome.kind) {
                case STOPPED:
                    return;
                case ENDED:
                    report(IngestState.ENDED, outcome.reason);
                    return;
                default:
                    break;
            }
            if (outcome.permanent) {
                report(IngestState.ERROR, outcome.reason);
                return;
            }
            failures = outcome.healthy ? 1 : failures + 1;
            if (config.maxRetries() > 0 && failures > config.maxRetries()) {
                report(IngestState.ERROR, "gave up after " + config.maxRetries()
                        + (config.maxRetries() == 1 ? " retry: " : " retries: ") + outcome.reason);
                return;
            }
            Duration delay = backoff.delay(failures);
            reconnects++;
            metrics.reconnect();
            report(IngestState.RECONNECTING, outcome.reason + "; retrying in " + seconds(delay));
            if (await(delay.toNanos())) {
                return;
            }
        }
    }

    /** Sleeps up to {@code nanos}; true when stopped meanwhile. */
    private boolean await(long nanos) {
        try {
            return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return true;
        }
    }

    private void report(IngestState newState, String reason) {
        synchronized (statusLock) {
            if (stopping) {
                return;
            }
            state = newState;
            context.status().report(id, spec.getCollectionId(), newState, reason, reconnects);
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private enum Kind { STOPPED, ENDED, FAILED }

    /** How a session ended; {@code healthy}: it delivered media long enough to reset the back-off. */
    private record Outcome(Kind kind, String reason, boolean permanent, boolean healthy) {
        static Outcome stopped() {
            return new Outcome(Kind.STOPPED, null, false, false);
        }

        static Outcome ended(String reason) {
            return new Outcome(Kind.ENDED, reason, false, false);
        }
    }

    /**
     * One connection to the source (for a looping file: one run through all its loops), with its own
     * sequence numbers, sampling grid, audio timeline and clock anchor.
     */
    private final class Session {

        private final StreamSource source;
        private final boolean wantVideo = spec.getMediaTypes().contains(MediaType.VIDEO);
        private final boolean wantAudio = spec.getMediaTypes().contains(MediaType.AUDIO);
        /** Decided on opening: whether the source is live is known once FFmpeg has read its header. */
        private boolean paced;
        private boolean mediaClockTimestamps;
        private final MediaClock clock = MediaClock.system();
        private final FrameSampler sampler;
        private final AudioChunker chunker;
        private final Java2DFrameConverter converter = new Java2DFrameConverter();
        private FFmpegFrameGrabber grabber;
        private boolean doVideo;
        private boolean doAudio;
        private long frameSeq;
        private long chunkSeq;
        private long startOffsetUs;
        private long loopOffsetUs;
        private long maxTimelineUs = Long.MIN_VALUE;
        /** End of the media read so far (last frame's time plus its duration): where a loop continues. */
        private long endUs;
        private long frameDurationUs = DEFAULT_FRAME_US;
        private long firstMediaNanos;
        private long lastMediaNanos;
        private long lastWatchedNanos;
        private long mediaInPass;
        /** When the last read that took about the I/O timeout returned, and how long it took. */
        private long slowGrabAtNanos;
        private long slowGrabNanos;
        /** Set when the interrupt callback ended a read because no media came for the watchdog time. */
        private boolean watchdogFired;

        Session(StreamSource source) {
            this.source = source;
            int rate = Math.max(1, Math.min(spec.getSampleRate(), config.maxSampleRate()));
            this.sampler = new FrameSampler(rate);
            this.chunker = new AudioChunker(Grabbers.AUDIO_SAMPLE_RATE, (int) config.audioChunk().toMillis(), this::sendChunk);
        }

        Outcome run() {
            try (JpegEncoder encoder = new JpegEncoder(config.jpegQuality())) {
                open();
                if (stopping) {
                    return Outcome.stopped();
                }
                if (source.kind().isNetwork() && previousCleanEndUs >= 0) {
                    long durationUs = grabber.getLengthInTime();
                    if (durationUs > 0 && previousCleanEndUs >= durationUs - END_TOLERANCE_US) {
                        return Outcome.ended("end of the recording (" + seconds(Duration.ofNanos(durationUs * 1000)) + ")");
                    }
                }
                report(IngestState.CONNECTED, describe());
                return read(encoder);
            } catch (SourceException e) {
                // The detail (FFmpeg's line, addresses) is for the operator; the client sees a coarse reason.
                log.info("Stream {}: {}", id, e.getMessage());
                return new Outcome(Kind.FAILED, e.publicReason(), e.isPermanent(), healthy());
            } finally {
                close();
                converter.close();
            }
        }

        private void open() throws SourceException {
            FfmpegLog.clear();
            // Checked again before every (re)connect: DNS may answer differently than at creation.
            StreamSource checked = context.sources().check(source);
            FFmpegFrameGrabber g = Grabbers.create(checked, wantAudio, config.ioTimeout());
            grabber = g;
            try {
                // Not start(): it holds a process-wide lock (on avcodec.class) for the whole open, so one
                // source that takes the full connect timeout would hold up every other stream's
                // (re)connect and close. FFmpeg has opened codecs thread-safely for years.
                g.startUnsafe();
            } catch (FFmpegFrameGrabber.Exception e) {
                throw FfmpegErrors.classify("cannot open " + source.redactedUrl(), source.kind(), e);
            }
            doVideo = wantVideo && g.hasVideo() && g.getImageWidth() > 0 && g.getImageHeight() > 0;
            doAudio = wantAudio && g.hasAudio();
            if (!doVideo && !doAudio) {
                throw new SourceException("the source has no " + (wantVideo && wantAudio ? "video or audio"
                        : wantVideo ? "video" : "audio") + " stream", true);
            }
            // A duration means a recording (a live HLS playlist has none until #EXT-X-ENDLIST, a live HTTP
            // stream has no length): it would be read as fast as FFmpeg decodes unless paced.
            paced = config.pacing().paces(source.kind(), g.getLengthInTime(), spec.getRealtime());
            // Files read faster than real time get timestamps from their own clock, not the burst's.
            mediaClockTimestamps = paced || source.kind() == SourceKind.FILE;
            long start = g.getFormatContext().start_time();
            startOffsetUs = start == avutil.AV_NOPTS_VALUE ? Long.MIN_VALUE : start;
            if (doVideo) {
                FrameSize size = FrameSize.fit(g.getImageWidth(), g.getImageHeight(), g.getAspectRatio(), config.maxWidth());
                g.setImageWidth(size.width());
                g.setImageHeight(size.height());
                double fps = g.getVideoFrameRate();
                if (fps > 0 && Double.isFinite(fps)) {
                    frameDurationUs = Math.round(1_000_000 / fps);
                }
            }
            long now = System.nanoTime();
            lastWatchedNanos = now;
            mediaInPass = 0;
            if (source.kind().isNetwork()) {
                ReadInterrupt.install(g, this::interrupted);
            }
        }

        /**
         * Asked by FFmpeg while it waits inside a read: stop requested, or the watchdog's time is up
         * (a live HLS playlist that stopped growing makes FFmpeg wait forever otherwise).
         */
        private boolean interrupted() {
            if (stopping) {
                return true;
            }
            if (System.nanoTime() - lastWatchedNanos > config.watchdog().toNanos()) {
                watchdogFired = true;
                return true;
            }
            return false;
        }

        private String describe() {
            StringBuilder s = new StringBuilder();
            if (doVideo) {
                s.append("video ").append(grabber.getVideoCodecName()).append(' ')
                        .append(grabber.getImageWidth()).append('x').append(grabber.getImageHeight())
                        .append(String.format(Locale.ROOT, " @%.3g fps", grabber.getVideoFrameRate()))
                        .append(", sampling ").append(1_000_000 / sampler.intervalUs()).append(" fps");
            }
            if (doAudio) {
                s.append(doVideo ? "; " : "").append("audio ").append(grabber.getAudioCodecName())
                        .append(" → 16 kHz mono");
            }
            if (paced && source.kind().isNetwork()) {
                s.append("; a recording, played at real time");
            }
            return s.toString();
        }

        private Outcome read(JpegEncoder encoder) throws SourceException {
            while (true) {
                long before = System.nanoTime();
                Frame frame;
                try {
                    frame = grabber.grabFrame(doAudio, doVideo, true, false, false);
                } catch (FFmpegFrameGrabber.Exception e) {
                    throw FfmpegErrors.classify("cannot read " + source.redactedUrl(), source.kind(), e);
                }
                long now = System.nanoTime();
                if (stopping) {
                    return Outcome.stopped();
                }
                if (now - before >= config.ioTimeout().toNanos() * 9 / 10) {
                    slowGrabAtNanos = now;
                    slowGrabNanos = now - before;
                }
                if (frame == null) {
                    Outcome end = endOfInput(now - before);
                    if (end != null) {
                        return end;
                    }
                    continue;
                }
                if (frame.image != null || frame.samples != null) {
                    if (!handle(frame, now, encoder)) {
                        return Outcome.stopped();
                    }
                }
                if (source.kind().isNetwork() && now - lastWatchedNanos > config.watchdog().toNanos()) {
                    return new Outcome(Kind.FAILED, "watchdog: no new " + (doVideo ? "video" : "audio") + " for "
                            + seconds(Duration.ofNanos(now - lastWatchedNanos)), false, healthy());
                }
            }
        }

        /** Handles one decoded frame; false when stopped while pacing. */
        private boolean handle(Frame frame, long now, JpegEncoder encoder) {
            if (startOffsetUs == Long.MIN_VALUE) {
                startOffsetUs = frame.timestamp;
            }
            long timelineUs = frame.timestamp - startOffsetUs + loopOffsetUs;
            boolean video = frame.image != null;
            // Paced by video only (audio when there is no video): files interleave audio and video in
            // chunks of up to a second, and waiting for a chunk of early audio would make the video
            // behind it late by as much. Audio read early still gets its own time from the clock.
            if (paced && (video || !doVideo)) {
                long wait = clock.nanosUntil(timelineUs);
                if (wait > PACING_SLACK_NANOS) {
                    if (await(wait)) {
                        return false;
                    }
                    now = System.nanoTime();
                } else if (wait < 0) {
                    metrics.late(-wait);
                }
            } else if (paced) {
                clock.nanosUntil(timelineUs);
            }
            maxTimelineUs = Math.max(maxTimelineUs, timelineUs);
            long durationUs = video ? frameDurationUs
                    : frame.samples[0].limit() * 1_000_000L / Grabbers.AUDIO_SAMPLE_RATE;
            endUs = Math.max(endUs, timelineUs + durationUs);
            mediaInPass++;
            if (firstMediaNanos == 0) {
                firstMediaNanos = now;
            }
            lastMediaNanos = now;
            if (video == doVideo) {
                lastWatchedNanos = now;
            }
            long wallMs = mediaClockTimestamps ? clock.wallMillis(timelineUs) : System.currentTimeMillis();
            if (video) {
                if (sampler.accept(timelineUs)) {
                    sendFrame(frame, timelineUs, wallMs, now, encoder);
                }
            } else {
                chunker.add((ShortBuffer) frame.samples[0], timelineUs, wallMs);
            }
            return true;
        }

        private void sendFrame(Frame frame, long timelineUs, long wallMs, long captureNanos, JpegEncoder encoder) {
            BufferedImage image = converter.getBufferedImage(frame);
            byte[] jpeg = encoder.encode(image);
            MediaFrame record = MediaFrame.newBuilder()
                    .setRtstreamId(id)
                    .setCollectionId(spec.getCollectionId())
                    .setSeq(frameSeq)
                    .setCaptureTs(Instant.ofEpochMilli(wallMs))
                    .setPtsMs(Math.floorDiv(timelineUs, 1000))
                    .setWidth(image.getWidth())
                    .setHeight(image.getHeight())
                    .setFormat(ImageFormat.JPEG)
                    .setData(ByteBuffer.wrap(jpeg))
                    .build();
            if (!stopping && context.publisher().sendFrame(record, captureNanos, metrics)) {
                frameSeq++;
            }
        }

        private void sendChunk(AudioChunker.Chunk chunk) {
            if (stopping) {
                return;
            }
            AudioChunk record = AudioChunk.newBuilder()
                    .setRtstreamId(id)
                    .setCollectionId(spec.getCollectionId())
                    .setSeq(chunkSeq)
                    .setStartTs(Instant.ofEpochMilli(chunk.startMs()))
                    .setDurationMs(chunk.durationMs())
                    .setSampleRate(Grabbers.AUDIO_SAMPLE_RATE)
                    .setChannels(1)
                    .setEncoding(AudioEncoding.PCM_S16LE)
                    .setData(ByteBuffer.wrap(chunk.pcm()))
                    .build();
            if (context.publisher().sendAudio(record, System.nanoTime(), metrics)) {
                chunkSeq++;
            }
        }

        /** The source returned no more frames: loop, end, or fail so the stream reconnects. Null: go on. */
        private Outcome endOfInput(long grabNanos) throws SourceException {
            if (source.kind() == SourceKind.FILE) {
                if (source.loop() && mediaInPass > 0) {
                    loopOffsetUs = endUs;
                    mediaInPass = 0;
                    if (!rewind()) {
                        startOffsetUs = Long.MIN_VALUE;
                        close();
                        open();
                    }
                    return null;
                }
                chunker.flush();
                if (maxTimelineUs == Long.MIN_VALUE) {
                    return new Outcome(Kind.FAILED, "the file has no decodable media (truncated or corrupt?)", true, false);
                }
                return Outcome.ended("end of file");
            }
            chunker.flush();
            if (watchdogFired) {
                return new Outcome(Kind.FAILED, "watchdog: no new " + (doVideo ? "video" : "audio") + " for "
                        + seconds(Duration.ofNanos(System.nanoTime() - lastWatchedNanos)), false, healthy());
            }
            // The read that timed out may have returned frames still in the decoder, so look at the
            // last slow read, not only the one that returned nothing.
            boolean timedOut = slowGrabAtNanos != 0 && System.nanoTime() - slowGrabAtNanos < STALL_MEMORY_NANOS;
            grabNanos = Math.max(grabNanos, slowGrabNanos);
            long durationUs = grabber.getLengthInTime();
            long readUs = maxTimelineUs == Long.MIN_VALUE ? -1 : maxTimelineUs;
            if (!timedOut && durationUs > 0 && readUs >= durationUs - END_TOLERANCE_US) {
                return Outcome.ended("end of the recording (" + seconds(Duration.ofNanos(durationUs * 1000)) + ")");
            }
            previousCleanEndUs = timedOut ? -1 : readUs;
            String reason = timedOut
                    ? "no data for " + seconds(Duration.ofNanos(grabNanos)) + " (server stalled or network down)"
                    : "the source closed the stream or the connection was lost";
            String detail = FfmpegLog.takeLastProblem();
            if (detail != null) {
                log.info("Stream {}: {} (ffmpeg: {})", id, reason, detail);
            }
            return new Outcome(Kind.FAILED, reason, false, healthy());
        }

        /**
         * Seeks a looping file back to its start: ~1 ms, where closing and reopening it costs a probe
         * (measured 12 ms of CPU and up to 300 ms of wall time, which made every pass start late).
         */
        private boolean rewind() {
            try {
                grabber.setTimestamp(0);
                return true;
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                log.debug("Stream {}: cannot seek back to the start, reopening: {}", id, e.toString());
                return false;
            }
        }

        private boolean healthy() {
            return firstMediaNanos != 0 && lastMediaNanos - firstMediaNanos >= HEALTHY_SESSION.toNanos();
        }

        private void close() {
            FFmpegFrameGrabber g = grabber;
            grabber = null;
            if (g != null) {
                try {
                    // releaseUnsafe(), not close(): close() takes the same process-wide lock as start().
                    g.releaseUnsafe();
                } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                    log.debug("Stream {}: closing the grabber failed: {}", id, e.toString());
                }
            }
            ReadInterrupt.clear();
        }
    }
}
