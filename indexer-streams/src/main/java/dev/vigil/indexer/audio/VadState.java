package dev.vigil.indexer.audio;

import dev.vigil.indexer.work.BinarySerde;

/**
 * Voice activity state of one transcript index, in the {@code transcript-vad} store (key: index id),
 * so a restarted or migrated task continues the utterance it was in.
 */
public final class VadState {

    String rtstreamId;
    String collectionId;
    String indexId;
    double noiseFloorDb = Vad.INITIAL_FLOOR_DB;
    boolean inSpeech;
    int voicedRun;
    int unvoicedRun;
    int voicedFrames;
    long runStartTs;
    long speechStartTs;
    long lastVoiceEndTs;
    long nextChunkTs = Long.MIN_VALUE;

    VadState(String rtstreamId, String collectionId, String indexId) {
        this.rtstreamId = rtstreamId;
        this.collectionId = collectionId;
        this.indexId = indexId;
    }

    public boolean inSpeech() {
        return inSpeech;
    }

    public long speechStartTs() {
        return speechStartTs;
    }

    public static final BinarySerde<VadState> SERDE = new BinarySerde<>("vad state", 1, (out, s) -> {
        out.writeUTF(s.rtstreamId);
        out.writeUTF(s.collectionId);
        out.writeUTF(s.indexId);
        out.writeDouble(s.noiseFloorDb);
        out.writeBoolean(s.inSpeech);
        out.writeInt(s.voicedRun);
        out.writeInt(s.unvoicedRun);
        out.writeInt(s.voicedFrames);
        out.writeLong(s.runStartTs);
        out.writeLong(s.speechStartTs);
        out.writeLong(s.lastVoiceEndTs);
        out.writeLong(s.nextChunkTs);
    }, in -> {
        VadState s = new VadState(in.readUTF(), in.readUTF(), in.readUTF());
        s.noiseFloorDb = in.readDouble();
        s.inSpeech = in.readBoolean();
        s.voicedRun = in.readInt();
        s.unvoicedRun = in.readInt();
        s.voicedFrames = in.readInt();
        s.runStartTs = in.readLong();
        s.speechStartTs = in.readLong();
        s.lastVoiceEndTs = in.readLong();
        s.nextChunkTs = in.readLong();
        return s;
    });
}
