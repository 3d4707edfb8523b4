package dev.vigil.ingest.record;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.ingest.media.MediaClock;
import dev.vigil.ingest.session.Backoff;
import dev.vigil.ingest.source.FfmpegErrors;
import dev.vigil.ingest.source.Grabbers;
import dev.vigil.ingest.source.ReadInterrupt;
import dev.vigil.ingest.source.SourceException;
import dev.vigil.ingest.source.SourceGuard;
import dev.vigil.ingest.source.SourceKind;
import dev.vigil.ingest.source.StreamSource;
import dev.vigil.schemas.control.MediaType;
import dev.vigil.schemas.control.RecordingState;
import dev.vigil.schemas.control.RtStreamSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one stream on its own thread ({@code vigil-record-<rtstream id>}) with its own connection to
 * the source: reads packets (no decoding), keeps the H.264/HEVC video and AAC/MP3 audio the spec's
 * media types ask for, and cuts them into MPEG-TS segments of about the target length at key frames.
 * Each closed segment goes to {@code sink} (which stores and indexes it off this thread), so neither a
 * slow store nor Kafka ever holds up reading the source. See {@code DESIGN.md} in this package.
 *
 * <p>Every (re)connect is a new session (new id, {@code seq} from 0, discontinuity on its first
 * segment). Files and recordings are read at real time when the worker paces them (the same {@code VIGIL_INGEST_PACING}
 * as indexing) and loop like the indexing does; wall-clock times come from the session's media clock
 * (first packet's wall time plus stream time), never earlier than {@code notBeforeMs} (the end of the
 * stream's last stored segment), so sessions never overlap.
 */
final class StreamRecorder implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StreamRecorder.class);
    private static final AVRational MICROS = av_make_q(1, 1_000_000);
    /** Added to TS timestamps so B-frame decode times before the first packet stay positive. */
    private static final long TS_PAD_US = 1_000_000;
    private static final long PACING_SLACK_NANOS = 50_000_000L;

    private final RtStreamSpec spec;
    private final String id;
    private final IngestWorkerConfig ingest;
    private final RecordingConfig recording;
    private final SourceGuard sources;
    private final Path spool;
    private final String workerId;
    private final Consumer<FinishedSegment> sink;
    private final RecordingListener listener;
    private final Backoff backoff;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopping;
    /** On stop: close the open segment and hand it over (true), or drop it (a crash drill). */
    private volatile boolean flushOnStop = true;
    private volatile Thread thread;
    private long notBeforeMs;

    StreamRecorder(RtStreamSpec spec, IngestWorkerConfig ingest, RecordingConfig recording, SourceGuard sources, Path spool,
            String workerId, long notBeforeMs, Consumer<FinishedSegment> sink, RecordingListener listener) {
        this.spec = spec;
        this.id = spec.getId();
        this.ingest = ingest;
        this.recording = recording;
        this.sources = sources;
        this.spool = spool;
        this.workerId = workerId;
        this.notBeforeMs = notBeforeMs;
        this.sink = sink;
        this.listener = listener;
        this.backoff = new Backoff(ingest.backoffMin(), ingest.backoffMax());
    }

    void start() {
        Thread t = new Thread(this, "vigil-record-" + id);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Asks the thread to stop; {@code flush}: close and hand over the segment in progress. */
    void stop(boolean flush) {
        flushOnStop = flush;
        stopping = true;
        stopSignal.countDown();
    }

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

    RtStreamSpec spec() {
        return spec;
    }

    @Override
    public void run() {
        try {
            record();
        } catch (RuntimeException | Error e) {
            log.error("Recording of {} failed unexpectedly", id, e);
            state(RecordingState.ERROR, "internal error: " + e);
        }
    }

    private void record() {
        StreamSource source;
        try {
            source = StreamSource.parse(spec.getUrl(), ingest.allowFiles(), ingest.fileRoot(), ingest.loopFiles());
        } catch (SourceException e) {
            state(RecordingState.ERROR, e.publicReason());
            return;
        }
        int failures = 0;
        while (!stopping) {
            Session session = new Session(source);
            Outcome outcome = session.run();
            if (session.lastEndMs > notBeforeMs) {
                notBeforeMs = session.lastEndMs;
            }
            if (outcome.kind != Kind.FAILED) {
                return;
            }
            if (outcome.permanent) {
                state(RecordingState.ERROR, outcome.reason);
                return;
            }
            failures = outcome.delivered ? 1 : failures + 1;
            if (ingest.maxRetries() > 0 && failures > ingest.maxRetries()) {
                state(RecordingState.ERROR, "gave up after " + ingest.maxRetries() + " retries: " + outcome.reason);
                return;
            }
            log.info("Recording of {}: {}; reconnecting", id, outcome.reason);
            if (await(backoff.delay(failures).toNanos())) {
                return;
            }
        }
    }

    private boolean await(long nanos) {
        try {
            return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return true;
        }
    }

    private void state(RecordingState state, String reason) {
        if (!stopping) {
            listener.recording(id, state, reason);
        }
    }

    private enum Kind { STOPPED, ENDED, UNSUPPORTED, FAILED }

    /** {@code delivered}: the session stored at least one segment (resets the retry count). */
    private record Outcome(Kind kind, String reason, boolean permanent, boolean delivered) {
    }

    /** One connection to the source, with its own session id and segment sequence. */
    private final class Session {

        private final StreamSource source;
        private final String sessionId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        /** Decided on opening, as the indexing decides it: whether a network source is a recording needs its duration. */
        private boolean paced;
        private final MediaClock clock = MediaClock.system();
        private FFmpegFrameGrabber grabber;
        /** Input stream index → output index (-1: not recorded). */
        private int[] outputOf = new int[0];
        private final List<AVStream> inputs = new ArrayList<>();
        /** Output index → input stream index. */
        private final List<Integer> inputIndexOf = new ArrayList<>();
        private int videoOut = -1;
        private String videoCodec;
        private String audioCodec;
        private int width;
        private int height;
        private long baseUs = Long.MIN_VALUE;
        private long loopOffsetUs;
        private long endUs;
        private long packetsInPass;
        private long[] lastDtsUs = new long[2];
        private long shiftMs = Long.MIN_VALUE;
        private long lastWatchedNanos;
        private boolean watchdogFired;
        private long seq;
        private long lastEndMs = Long.MIN_VALUE;
        // The segment being written.
        private SegmentMuxer muxer;
        private Path segmentFile;
        private long segStartUs;
        private long segStartMs;
        private long segEndMs;

        Session(StreamSource source) {
            this.source = source;
        }

        Outcome run() {
            try {
                Outcome unsupported = open();
                if (unsupported != null) {
                    return unsupported;
                }
                state(RecordingState.RECORDING, describe());
                return read();
            } catch (SourceException e) {
                log.info("Recording of {}: {}", id, e.getMessage());
                return new Outcome(Kind.FAILED, e.publicReason(), e.isPermanent(), seq > 0);
            } catch (IOException e) {
                log.warn("Recording of {}: cannot write a segment: {}", id, e.getMessage());
                return new Outcome(Kind.FAILED, "cannot write a segment: " + e.getMessage(), false, seq > 0);
            } finally {
                if (muxer != null) {
                    if (flushOnStop) {
                        try {
                            closeSegment();
                        } catch (IOException e) {
                            log.warn("Recording of {}: last segment lost: {}", id, e.getMessage());
                        }
                    } else {
                        discardSegment();
                    }
                }
                closeGrabber();
            }
        }

        /** Opens the source and picks the streams to record; an outcome when there is nothing to record. */
        private Outcome open() throws SourceException {
            StreamSource checked = sources.check(source);
            FFmpegFrameGrabber g = Grabbers.create(checked, false, ingest.ioTimeout());
            grabber = g;
            try {
                // Not start(): see StreamIngest, it holds a process-wide lock for the whole open.
                g.startUnsafe();
            } catch (FFmpegFrameGrabber.Exception e) {
                throw FfmpegErrors.classify("cannot open " + source.redactedUrl(), source.kind(), e);
            }
            // The same rule as the indexing (files, and recordings under the default RECORDED): a looping
            // file read unpaced would be recorded many times faster than real time.
            paced = ingest.pacing().paces(source.kind(), g.getLengthInTime(), spec.getRealtime());
            lastWatchedNanos = System.nanoTime();
            if (source.kind().isNetwork()) {
                ReadInterrupt.install(g, this::interrupted);
            }
            if (!inputs.isEmpty()) {
                // A looping file reopened: same streams, same output indexes, the new context's AVStreams.
                for (int o = 0; o < inputs.size(); o++) {
                    inputs.set(o, g.getFormatContext().streams(inputIndexOf.get(o)));
                }
                return null;
            }
            boolean wantVideo = spec.getMediaTypes().contains(MediaType.VIDEO);
            boolean wantAudio = spec.getMediaTypes().contains(MediaType.AUDIO);
            AVFormatContext oc = g.getFormatContext();
            outputOf = new int[oc.nb_streams()];
            java.util.Arrays.fill(outputOf, -1);
            int videoIn = -1;
            int audioIn = -1;
            for (int i = 0; i < oc.nb_streams(); i++) {
                AVStream st = oc.streams(i);
                int type = st.codecpar().codec_type();
                if (type == AVMEDIA_TYPE_VIDEO && videoIn < 0 && (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                    videoIn = i;
                } else if (type == AVMEDIA_TYPE_AUDIO && audioIn < 0) {
                    audioIn = i;
                }
            }
            List<String> notes = new ArrayList<>();
            if (wantVideo && videoIn >= 0) {
                AVStream st = oc.streams(videoIn);
                int codec = st.codecpar().codec_id();
                if (!CodecSupport.videoRemuxable(codec)) {
                    String reason = "video codec " + CodecSupport.name(codec)
                            + " cannot be recorded without re-encoding (recorded: H.264, H.265)";
                    log.warn("Recording of {} unsupported: {}", id, reason);
                    listener.recording(id, RecordingState.UNSUPPORTED, reason);
                    return new Outcome(Kind.UNSUPPORTED, reason, true, false);
                }
                videoOut = inputs.size();
                outputOf[videoIn] = videoOut;
                inputs.add(st);
                inputIndexOf.add(videoIn);
                videoCodec = CodecSupport.name(codec);
                width = st.codecpar().width();
                height = st.codecpar().height();
            }
            if (wantAudio && audioIn >= 0) {
                AVStream st = oc.streams(audioIn);
                int codec = st.codecpar().codec_id();
                if (CodecSupport.audioRemuxable(codec)) {
                    outputOf[audioIn] = inputs.size();
                    inputs.add(st);
                    inputIndexOf.add(audioIn);
                    audioCodec = CodecSupport.name(codec);
                } else {
                    notes.add("audio " + CodecSupport.name(codec) + " not recorded (recorded: AAC, MP3)");
                }
            }
            if (inputs.isEmpty()) {
                String reason = notes.isEmpty() ? "nothing to record: the source has no " + spec.getMediaTypes() : notes.get(0);
                log.warn("Recording of {} unsupported: {}", id, reason);
                listener.recording(id, RecordingState.UNSUPPORTED, reason);
                return new Outcome(Kind.UNSUPPORTED, reason, true, false);
            }
            this.notes = String.join("; ", notes);
            lastDtsUs = new long[inputs.size()];
            java.util.Arrays.fill(lastDtsUs, Long.MIN_VALUE);
            return null;
        }

        private String notes = "";

        private String describe() {
            StringBuilder s = new StringBuilder("recording");
            if (videoCodec != null) {
                s.append(" video ").append(videoCodec).append(' ').append(width).append('x').append(height);
            }
            if (audioCodec != null) {
                s.append(videoCodec != null ? "," : "").append(" audio ").append(audioCodec);
            }
            s.append(" in ").append(recording.segment().toMillis() / 1000.0).append(" s MPEG-TS segments");
            if (!notes.isEmpty()) {
                s.append("; ").append(notes);
            }
            return s.toString();
        }

        private boolean interrupted() {
            if (stopping) {
                return true;
            }
            if (System.nanoTime() - lastWatchedNanos > ingest.watchdog().toNanos()) {
                watchdogFired = true;
                return true;
            }
            return false;
        }

        private Outcome read() throws SourceException, IOException {
            while (true) {
                AVPacket pkt;
                try {
                    pkt = grabber.grabPacket();
                } catch (FFmpegFrameGrabber.Exception e) {
                    throw FfmpegErrors.classify("cannot read " + source.redactedUrl(), source.kind(), e);
                }
                if (stopping) {
                    if (pkt != null) {
                        av_packet_unref(pkt);
                    }
                    return new Outcome(Kind.STOPPED, null, false, seq > 0);
                }
                if (pkt == null) {
                    Outcome end = endOfInput();
                    if (end != null) {
                        return end;
                    }
                    continue;
                }
                if (!handle(pkt)) {
                    return new Outcome(Kind.STOPPED, null, false, seq > 0);
                }
                if (source.kind().isNetwork() && System.nanoTime() - lastWatchedNanos > ingest.watchdog().toNanos()) {
                    return new Outcome(Kind.FAILED, "watchdog: no new media", false, seq > 0);
                }
            }
        }

        /** Null: go on (a looping file was reopened). */
        private Outcome endOfInput() throws SourceException, IOException {
            if (source.kind() == SourceKind.FILE && source.loop() && packetsInPass > 0) {
                loopOffsetUs = endUs;
                baseUs = Long.MIN_VALUE;
                packetsInPass = 0;
                closeGrabber();
                open();
                return null;
            }
            if (muxer != null) {
                closeSegment();
            }
            if (source.kind() == SourceKind.FILE) {
                return new Outcome(Kind.ENDED, "end of file", false, seq > 0);
            }
            return new Outcome(Kind.FAILED, watchdogFired ? "watchdog: no new media"
                    : "the source closed the stream, stalled or the connection was lost", false, seq > 0);
        }

        /** Writes one packet; false when stopped while pacing. */
        private boolean handle(AVPacket pkt) throws IOException {
            int in = pkt.stream_index();
            int out = in >= 0 && in < outputOf.length ? outputOf[in] : -1;
            if (out < 0) {
                av_packet_unref(pkt);
                return true;
            }
            AVRational tb = inputs.get(out).time_base();
            long pts = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
            long dts = pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : pts;
            if (pts == AV_NOPTS_VALUE) {
                av_packet_unref(pkt);
                return true;
            }
            long ptsUs = av_rescale_q(pts, tb, MICROS);
            long dtsUs = av_rescale_q(dts, tb, MICROS);
            long durUs = pkt.duration() > 0 ? av_rescale_q(pkt.duration(), tb, MICROS) : 0;
            if (baseUs == Long.MIN_VALUE) {
                baseUs = dtsUs;
            }
            long timelinePts = ptsUs - baseUs + loopOffsetUs;
            long timelineDts = dtsUs - baseUs + loopOffsetUs;
            if (lastDtsUs[out] != Long.MIN_VALUE && timelineDts <= lastDtsUs[out]) {
                // A source whose decode times do not grow (broken muxers do that): keep the TS valid.
                timelineDts = lastDtsUs[out] + 1;
                timelinePts = Math.max(timelinePts, timelineDts);
            }
            boolean video = out == videoOut;
            boolean leading = video || videoOut < 0;
            if (paced && leading) {
                long wait = clock.nanosUntil(timelinePts);
                if (wait > PACING_SLACK_NANOS && await(wait)) {
                    av_packet_unref(pkt);
                    return false;
                }
            }
            if (leading) {
                lastWatchedNanos = System.nanoTime();
            }
            packetsInPass++;
            endUs = Math.max(endUs, timelinePts + Math.max(durUs, 1));
            boolean boundary = videoOut < 0 || (video && (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
            if (muxer == null) {
                if (!boundary) {
                    // A segment starts with a key frame, or it cannot be played on its own.
                    av_packet_unref(pkt);
                    return true;
                }
                openSegment(timelinePts);
            } else if (boundary && timelinePts - segStartUs >= recording.segment().toNanos() / 1000) {
                closeSegment();
                openSegment(timelinePts);
            }
            lastDtsUs[out] = timelineDts;
            // Wall time as the packet is read, in reading order: the media clock re-anchors on jumps, so
            // it is never asked about a time seconds back (a segment's start, at its close).
            long wallMs = wallMillis(timelinePts);
            segStartMs = Math.min(segStartMs, wallMs);
            segEndMs = Math.max(segEndMs, wallMs + durUs / 1000);
            muxer.write(pkt, out, timelinePts + TS_PAD_US, timelineDts + TS_PAD_US, durUs);
            return true;
        }

        private void openSegment(long startUs) throws IOException {
            Files.createDirectories(spool);
            segmentFile = spool.resolve(id + "-" + sessionId + "-" + seq + ".ts");
            muxer = new SegmentMuxer(segmentFile, inputs);
            segStartUs = startUs;
            segStartMs = Long.MAX_VALUE;
            segEndMs = Long.MIN_VALUE;
        }

        private long wallMillis(long timelineUs) {
            long wall = clock.wallMillis(timelineUs);
            if (shiftMs == Long.MIN_VALUE) {
                // The first time seen: never before the end of what this stream has stored already.
                shiftMs = notBeforeMs == Long.MIN_VALUE ? 0 : Math.max(0, notBeforeMs - wall);
            }
            return wall + shiftMs;
        }

        private void closeSegment() throws IOException {
            SegmentMuxer m = muxer;
            muxer = null;
            try {
                m.finish();
            } catch (IOException e) {
                Files.deleteIfExists(segmentFile);
                throw e;
            }
            long startMs = segStartMs;
            long endMs = Math.max(startMs, segEndMs);
            long bytes = Files.size(segmentFile);
            FinishedSegment done = new FinishedSegment(FinishedSegment.record(id, spec.getCollectionId(), sessionId, seq,
                    startMs, endMs, bytes, videoCodec, audioCodec, width, height, workerId), segmentFile);
            seq++;
            lastEndMs = endMs;
            log.debug("Recording of {}: segment {} ({} bytes, {} ms)", id, done.record().getKey(), bytes, endMs - startMs);
            sink.accept(done);
        }

        private void discardSegment() {
            SegmentMuxer m = muxer;
            muxer = null;
            m.abort();
            try {
                Files.deleteIfExists(segmentFile);
            } catch (IOException e) {
                log.debug("Recording of {}: cannot delete {}: {}", id, segmentFile, e.toString());
            }
        }

        private void closeGrabber() {
            FFmpegFrameGrabber g = grabber;
            grabber = null;
            if (g != null) {
                try {
                    g.releaseUnsafe();
                } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                    log.debug("Recording of {}: closing the grabber failed: {}", id, e.toString());
                }
            }
            ReadInterrupt.clear();
        }
    }
}
