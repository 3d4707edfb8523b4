package dev.vigil.ingest.publish;

import dev.vigil.schemas.control.RtStreamSpec;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.AudioEncoding;
import dev.vigil.schemas.media.ImageFormat;
import dev.vigil.schemas.media.MediaFrame;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the records a stream writes to {@code media.frames} and {@code media.audio}. */
public final class MediaRecords {

    private MediaRecords() {
    }

    /**
     * A sampled frame as a JPEG.
     *
     * @param captureMs when the frame was shown (wall clock, or the media clock for paced sources)
     * @param ptsMs     its time on the stream's timeline
     */
    public static MediaFrame frame(RtStreamSpec spec, long seq, long captureMs, long ptsMs, int width, int height,
            byte[] jpeg) {
        return MediaFrame.newBuilder()
                .setRtstreamId(spec.getId())
                .setCollectionId(spec.getCollectionId())
                .setSeq(seq)
                .setCaptureTs(Instant.ofEpochMilli(captureMs))
                .setPtsMs(ptsMs)
                .setWidth(width)
                .setHeight(height)
                .setFormat(ImageFormat.JPEG)
                .setData(ByteBuffer.wrap(jpeg))
                .build();
    }

    /** A chunk of mono 16-bit PCM at {@code sampleRate}. */
    public static AudioChunk audio(RtStreamSpec spec, long seq, long startMs, int durationMs, int sampleRate, byte[] pcm) {
        return AudioChunk.newBuilder()
                .setRtstreamId(spec.getId())
                .setCollectionId(spec.getCollectionId())
                .setSeq(seq)
                .setStartTs(Instant.ofEpochMilli(startMs))
                .setDurationMs(durationMs)
                .setSampleRate(sampleRate)
                .setChannels(1)
                .setEncoding(AudioEncoding.PCM_S16LE)
                .setData(ByteBuffer.wrap(pcm))
                .build();
    }
}
