package dev.vigil.indexer.audio;

import dev.vigil.indexer.work.BinarySerde;
import java.util.ArrayList;
import java.util.List;

/**
 * One audio index's windows in the {@code audio-windows} store (key: index id): the window filling up
 * and the finished windows held back until the transcript of their speech is in (or the wait ran out).
 */
final class AudioIndexState {

    final String rtstreamId;
    final String collectionId;
    final String indexId;
    SoundWindow current;
    final List<SoundWindow> held = new ArrayList<>();

    AudioIndexState(String rtstreamId, String collectionId, String indexId) {
        this.rtstreamId = rtstreamId;
        this.collectionId = collectionId;
        this.indexId = indexId;
    }

    static final BinarySerde<AudioIndexState> SERDE = new BinarySerde<>("audio index state", 1, (out, s) -> {
        out.writeUTF(s.rtstreamId);
        out.writeUTF(s.collectionId);
        out.writeUTF(s.indexId);
        out.writeBoolean(s.current != null);
        if (s.current != null) {
            s.current.write(out);
        }
        out.writeInt(s.held.size());
        for (SoundWindow w : s.held) {
            w.write(out);
        }
    }, in -> {
        AudioIndexState s = new AudioIndexState(in.readUTF(), in.readUTF(), in.readUTF());
        if (in.readBoolean()) {
            s.current = SoundWindow.read(in);
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            s.held.add(SoundWindow.read(in));
        }
        return s;
    });
}
