package dev.vigil.indexer;

import dev.vigil.schemas.control.IndexSpec;
import dev.vigil.schemas.control.IndexState;
import dev.vigil.schemas.control.IndexType;
import dev.vigil.schemas.media.AudioChunk;
import dev.vigil.schemas.media.AudioEncoding;
import dev.vigil.schemas.media.ImageFormat;
import dev.vigil.schemas.media.MediaFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Test records as the ingest worker and control-api write them: MediaFrame (JPEG), AudioChunk
 * (16 kHz mono s16le), IndexSpec; and the committed JPEG fixtures (see src/test/resources/fixtures).
 */
public final class Media {

    public static final String STREAM = "rts-0190b7a1-0000-7000-8000-000000000001";
    public static final String COLLECTION = "default";

    static {
        // The serdes make Avro trust Vigil's generated classes; IndexSpec.newBuilder(spec) needs that.
        dev.vigil.schemas.Topics.ALL.size();
    }

    private Media() {
    }

    public static byte[] fixture(String name) {
        try (InputStream in = Media.class.getResourceAsStream("/fixtures/frames/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MediaFrame frame(String stream, long seq, long captureTs, byte[] jpeg) {
        return MediaFrame.newBuilder().setRtstreamId(stream).setCollectionId(COLLECTION).setSeq(seq)
                .setCaptureTs(Instant.ofEpochMilli(captureTs)).setPtsMs(-1).setWidth(640).setHeight(360)
                .setFormat(ImageFormat.JPEG).setData(ByteBuffer.wrap(jpeg)).build();
    }

    public static AudioChunk chunk(String stream, long seq, long startTs, short[] samples) {
        ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.asShortBuffer().put(samples);
        return AudioChunk.newBuilder().setRtstreamId(stream).setCollectionId(COLLECTION).setSeq(seq)
                .setStartTs(Instant.ofEpochMilli(startTs)).setDurationMs(samples.length / 16).setSampleRate(16000)
                .setChannels(1).setEncoding(AudioEncoding.PCM_S16LE).setData(data).build();
    }

    public static IndexSpec index(String id, String stream, IndexType type, Map<String, String> config) {
        return IndexSpec.newBuilder().setId(id).setRtstreamId(stream).setCollectionId(COLLECTION).setIndexType(type)
                .setExtractionType(type == IndexType.SCENE ? "time" : "transcript")
                .setExtractionConfig(new HashMap<>(config)).setState(IndexState.RUNNING)
                .setCreatedAt(Instant.ofEpochMilli(1_000)).setUpdatedAt(Instant.ofEpochMilli(1_000)).build();
    }
}
