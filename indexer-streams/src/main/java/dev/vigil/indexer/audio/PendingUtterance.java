package dev.vigil.indexer.audio;

import dev.vigil.indexer.work.BinarySerde;
import java.util.ArrayList;
import java.util.List;

/**
 * An utterance handed to a speech engine and not yet answered, in the {@code transcript-pending}
 * store: kept until its record is forwarded, and handed to the engine again after a restart
 * (at-least-once for utterances).
 */
record PendingUtterance(String rtstreamId, String collectionId, String indexId, String engine,
        List<String> vocabulary, long start, long end, long voicedMs, long captureTs, byte[] pcm) {

    /** Store key: an index's utterances sort by start. */
    static String key(String indexId, long start) {
        return indexId + '/' + String.format("%015d", start);
    }

    String key() {
        return key(indexId, start);
    }

    static final BinarySerde<PendingUtterance> SERDE = new BinarySerde<>("pending utterance", 1, (out, u) -> {
        out.writeUTF(u.rtstreamId);
        out.writeUTF(u.collectionId);
        out.writeUTF(u.indexId);
        out.writeUTF(u.engine == null ? "" : u.engine);
        out.writeInt(u.vocabulary.size());
        for (String p : u.vocabulary) {
            out.writeUTF(p);
        }
        out.writeLong(u.start);
        out.writeLong(u.end);
        out.writeLong(u.voicedMs);
        out.writeLong(u.captureTs);
        out.writeInt(u.pcm.length);
        out.write(u.pcm);
    }, in -> {
        String rts = in.readUTF();
        String col = in.readUTF();
        String idx = in.readUTF();
        String engine = in.readUTF();
        int n = in.readInt();
        List<String> vocabulary = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            vocabulary.add(in.readUTF());
        }
        long start = in.readLong();
        long end = in.readLong();
        long voiced = in.readLong();
        long capture = in.readLong();
        byte[] pcm = new byte[in.readInt()];
        in.readFully(pcm);
        return new PendingUtterance(rts, col, idx, engine.isEmpty() ? null : engine, vocabulary, start, end, voiced,
                capture, pcm);
    });
}
