package dev.vigil.ingest.session;

import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.media.AudioChunker;
import dev.vigil.ingest.media.DecodeSkipping;
import dev.vigil.ingest.media.FrameSampler;
import dev.vigil.ingest.media.FrameSize;
import dev.vigil.ingest.media.JpegEncoder;
import dev.vigil.ingest.media.MediaClock;
import dev.vigil.ingest.media.PictureScaler;
import dev.vigil.ingest.publish.MediaRecords;
import dev.vigil.ingest.publish.StreamMetrics;
import dev.vigil.ingest.source.DecoderSkipControl;
import dev.vigil.ingest.source.FfmpegErrors;
import dev.vigil.ingest.source.FfmpegLog;
import dev.vigil.ingest.source.Grabbers;
import dev.vigil.ingest.source.ReadInterrupt;
import dev.vigil.ingest.source.SourceException;
import dev.vigil.ingest.source.SourceKind;
import dev.vigil.ingest.source.StreamSource;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.MediaFrame;
import java.awt.image.BufferedImage;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a stream's source (for a looping file: one run through all its loops), with its own
 * sequence numbers, sampling grid, audio timeline and clock anchor: opens the source with FFmpeg, keeps
 * the frames the stream's {@code sample_rate} asks for (scaled, JPEG) and cuts its audio into 16 kHz
 * chunks, writing them to {@code media.frames} and {@code media.audio}; paces files and recordings at
 * real time. Runs on the stream's thread; {@link StreamIngest} reconnects after it.
 *
 * <p>Every wait is bounded: network reads by FFmpeg's timeouts (see {@link Grabbers}), a connection whose
 * video stops while it stays open by the watchdog, pacing sleeps by the stop signal.
 */
final class SourceSession {

    private static final Logger log = LoggerFactory.getLogger(SourceSession.class);

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
    private final StopSignal stop;
    private final Consumer<String> onConnected;
    private final StreamSource source;
    private final boolean wantVideo;
    private final boolean wantAudio;
    /** Decided on opening: whether the source is live is known once FFmpeg has read its header. */
    private boolean paced;
    private boolean mediaClockTimestamps;
    private final MediaClock clock = MediaClock.system();
    private final FrameSampler sampler;
    private final AudioChunker chunker;
    private final PictureScaler scaler = new PictureScaler();
    /** What the video decoder may skip; set again with every open. */
    private DecodeSkipping skipping = DecodeSkipping.off();
    private FFmpegFrameGrabber grabber;
    private boolean doVideo;
    private boolean doAudio;
    /** Size of the published frames (the source's, fitted to the configured maximum width). */
    private int frameWidth;
    private int frameHeight;
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
    /** End of the previous session's media if it ended cleanly (not by a timeout), else -1. */
    private long previousCleanEndUs;

    /**
     * @param previousCleanEndUs where the previous session's media ended if it ended cleanly, else -1
     * @param onConnected        reports CONNECTED with a description of the media
     */
    SourceSession(RtStreamSpec spec, IngestContext context, StreamMetrics metrics, StreamSource source, StopSignal stop,
            long previousCleanEndUs, Consumer<String> onConnected) {
        this.spec = spec;
        this.id = spec.getId();
        this.config = context.config();
        this.context = context;
        this.metrics = metrics;
        this.source = source;
        this.stop = stop;
        this.previousCleanEndUs = previousCleanEndUs;
        this.onConnected = onConnected;
        this.wantVideo = spec.getMediaTypes().contains(MediaType.VIDEO);
        this.wantAudio = spec.getMediaTypes().contains(MediaType.AUDIO);
        int rate = Math.max(1, Math.min(spec.getSampleRate(), config.maxSampleRate()));
        this.sampler = new FrameSampler(rate);
        this.chunker = new AudioChunker(Grabbers.AUDIO_SAMPLE_RATE, (int) config.audioChunk().toMillis(), this::sendChunk);
    }

    SessionOutcome run() {
        try (JpegEncoder encoder = new JpegEncoder(config.jpegQuality())) {
            open();
            if (stop.isStopped()) {
                return SessionOutcome.stopped();
            }
            if (source.kind().isNetwork() && previousCleanEndUs >= 0) {
                long durationUs = grabber.getLengthInTime();
                if (durationUs > 0 && previousCleanEndUs >= durationUs - END_TOLERANCE_US) {
                    return SessionOutcome.ended("end of the recording (" + seconds(Duration.ofNanos(durationUs * 1000)) + ")");
                }
            }
            onConnected.accept(describe());
            return read(encoder);
        } catch (SourceException e) {
            // The detail (FFmpeg's line, addresses) is for the operator; the client sees a coarse reason.
            log.info("Stream {}: {}", id, e.getMessage());
            return SessionOutcome.failed(e.publicReason(), e.isPermanent(), healthy());
        } finally {
            close();
            scaler.close();
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
            frameWidth = size.width();
            frameHeight = size.height();
            double fps = g.getVideoFrameRate();
            boolean knownRate = fps > 0 && Double.isFinite(fps);
            if (knownRate) {
                frameDurationUs = Math.round(1_000_000 / fps);
            }
            // Decode only what the sampler can keep (see DecodeSkipping); key-only needs audio to notice
            // key frames that stop coming.
            skipping = config.decodeSkipping() && knownRate
                    ? new DecodeSkipping(sampler.intervalUs(), frameDurationUs, doAudio, DecoderSkipControl.of(g))
                    : DecodeSkipping.off();
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
        if (stop.isStopped()) {
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
                    .append(frameWidth).append('x').append(frameHeight)
                    .append(String.format(Locale.ROOT, " @%.3g fps", grabber.getVideoFrameRate()))
                    .append(", sampling ").append(1_000_000 / sampler.intervalUs()).append(" fps, ")
                    .append(skipping.describe());
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

    private SessionOutcome read(JpegEncoder encoder) throws SourceException {
        while (true) {
            long before = System.nanoTime();
            Frame frame;
            try {
                frame = grabber.grabFrame(doAudio, doVideo, true, false, false);
            } catch (FFmpegFrameGrabber.Exception e) {
                throw FfmpegErrors.classify("cannot read " + source.redactedUrl(), source.kind(), e);
            }
            long now = System.nanoTime();
            if (stop.isStopped()) {
                return SessionOutcome.stopped();
            }
            if (now - before >= config.ioTimeout().toNanos() * 9 / 10) {
                slowGrabAtNanos = now;
                slowGrabNanos = now - before;
            }
            if (frame == null) {
                SessionOutcome end = endOfInput(now - before);
                if (end != null) {
                    return end;
                }
                continue;
            }
            if (frame.image != null || frame.samples != null) {
                if (!handle(frame, now, encoder)) {
                    return SessionOutcome.stopped();
                }
            }
            if (source.kind().isNetwork() && now - lastWatchedNanos > config.watchdog().toNanos()) {
                return SessionOutcome.failed("watchdog: no new " + (doVideo ? "video" : "audio") + " for "
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
                if (stop.await(wait)) {
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
            if (skipping.onPicture(timelineUs, frame.keyFrame) && sampler.accept(timelineUs)) {
                sendFrame(frame, timelineUs, wallMs, now, encoder);
            }
        } else {
            skipping.onAudio(timelineUs);
            chunker.add((ShortBuffer) frame.samples[0], timelineUs, wallMs);
        }
        return true;
    }

    private void sendFrame(Frame frame, long timelineUs, long wallMs, long captureNanos, JpegEncoder encoder) {
        // RAW image mode: the decoder's picture, converted here because this frame is kept.
        BufferedImage image = scaler.toBgr((AVFrame) frame.opaque, frameWidth, frameHeight);
        byte[] jpeg = encoder.encode(image);
        MediaFrame record = MediaRecords.frame(spec, frameSeq, wallMs, Math.floorDiv(timelineUs, 1000), image.getWidth(),
                image.getHeight(), jpeg);
        if (!stop.isStopped() && context.publisher().sendFrame(record, captureNanos, metrics)) {
            frameSeq++;
        }
    }

    private void sendChunk(AudioChunker.Chunk chunk) {
        if (stop.isStopped()) {
            return;
        }
        AudioChunk record = MediaRecords.audio(spec, chunkSeq, chunk.startMs(), chunk.durationMs(), Grabbers.AUDIO_SAMPLE_RATE,
                chunk.pcm());
        if (context.publisher().sendAudio(record, System.nanoTime(), metrics)) {
            chunkSeq++;
        }
    }

    /** The source returned no more frames: loop, end, or fail so the stream reconnects. Null: go on. */
    private SessionOutcome endOfInput(long grabNanos) throws SourceException {
        if (source.kind() == SourceKind.FILE) {
            if (source.loop() && mediaInPass > 0) {
                loopOffsetUs = endUs;
                mediaInPass = 0;
                skipping.discontinuity();
                if (!rewind()) {
                    startOffsetUs = Long.MIN_VALUE;
                    close();
                    open();
                }
                return null;
            }
            chunker.flush();
            if (maxTimelineUs == Long.MIN_VALUE) {
                return SessionOutcome.failed("the file has no decodable media (truncated or corrupt?)", true, false);
            }
            return SessionOutcome.ended("end of file");
        }
        chunker.flush();
        if (watchdogFired) {
            return SessionOutcome.failed("watchdog: no new " + (doVideo ? "video" : "audio") + " for "
                    + seconds(Duration.ofNanos(System.nanoTime() - lastWatchedNanos)), false, healthy());
        }
        // The read that timed out may have returned frames still in the decoder, so look at the
        // last slow read, not only the one that returned nothing.
        boolean timedOut = slowGrabAtNanos != 0 && System.nanoTime() - slowGrabAtNanos < STALL_MEMORY_NANOS;
        grabNanos = Math.max(grabNanos, slowGrabNanos);
        long durationUs = grabber.getLengthInTime();
        long readUs = maxTimelineUs == Long.MIN_VALUE ? -1 : maxTimelineUs;
        if (!timedOut && durationUs > 0 && readUs >= durationUs - END_TOLERANCE_US) {
            return SessionOutcome.ended("end of the recording (" + seconds(Duration.ofNanos(durationUs * 1000)) + ")");
        }
        previousCleanEndUs = timedOut ? -1 : readUs;
        String reason = timedOut
                ? "no data for " + seconds(Duration.ofNanos(grabNanos)) + " (server stalled or network down)"
                : "the source closed the stream or the connection was lost";
        String detail = FfmpegLog.takeLastProblem();
        if (detail != null) {
            log.info("Stream {}: {} (ffmpeg: {})", id, reason, detail);
        }
        return SessionOutcome.failed(reason, false, healthy());
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

    /** Where this session's media ended if it ended cleanly (not by a timeout), else -1; for the next session. */
    long cleanEndUs() {
        return previousCleanEndUs;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
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
