package dev.vigil.indexer.scene;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serde of {@link SceneWindow} for its store and changelog (a few hundred bytes: the
 * window keeps analyses, never images). A leading version byte allows later changes.
 */
public final class SceneWindowSerde implements Serde<SceneWindow> {

    private static final byte VERSION = 1;

    @Override
    public Serializer<SceneWindow> serializer() {
        return (topic, w) -> {
            if (w == null) {
                return null;
            }
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(256); DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeUTF(w.rtstreamId);
                out.writeUTF(w.collectionId);
                out.writeUTF(w.indexId);
                out.writeLong(w.start);
                out.writeLong(w.end);
                out.writeInt(w.accepted);
                out.writeInt(w.pending);
                out.writeLong(w.lastAcceptedTs);
                out.writeInt(w.analyses.size());
                for (FrameAnalysis a : w.analyses) {
                    out.writeLong(a.captureTs());
                    out.writeInt(a.width());
                    out.writeInt(a.height());
                    out.writeDouble(a.motion());
                    out.writeDouble(a.brightness());
                    out.writeDouble(a.contrast());
                    out.writeDouble(a.sharpness());
                    out.writeBoolean(a.fresh());
                    writeBoxes(out, a.people());
                    writeBoxes(out, a.faces());
                }
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot write scene window for " + topic, e);
            }
        };
    }

    private static void writeBoxes(DataOutputStream out, List<Box> boxes) throws IOException {
        out.writeShort(boxes.size());
        for (Box b : boxes) {
            out.writeFloat(b.x());
            out.writeFloat(b.y());
            out.writeFloat(b.w());
            out.writeFloat(b.h());
            out.writeFloat(b.score());
        }
    }

    private static List<Box> readBoxes(DataInputStream in) throws IOException {
        int n = in.readShort();
        List<Box> boxes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boxes.add(new Box(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat()));
        }
        return boxes;
    }

    @Override
    public Deserializer<SceneWindow> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                if (in.readByte() != VERSION) {
                    throw new SerializationException("unknown scene window version in " + topic);
                }
                String rtstreamId = in.readUTF();
                String collectionId = in.readUTF();
                String indexId = in.readUTF();
                long start = in.readLong();
                long end = in.readLong();
                int accepted = in.readInt();
                int pending = in.readInt();
                long lastAccepted = in.readLong();
                int n = in.readInt();
                List<FrameAnalysis> analyses = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    analyses.add(new FrameAnalysis(in.readLong(), in.readInt(), in.readInt(), in.readDouble(),
                            in.readDouble(), in.readDouble(), in.readDouble(), in.readBoolean(), readBoxes(in), readBoxes(in)));
                }
                return new SceneWindow(rtstreamId, collectionId, indexId, start, end, accepted, pending, lastAccepted, analyses);
            } catch (IOException e) {
                throw new SerializationException("cannot read scene window from " + topic, e);
            }
        };
    }
}
