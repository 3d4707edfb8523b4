package dev.vigil.ingest.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes frames as baseline JPEG with the JDK's encoder (native libjpeg inside the JDK, about 0.5 ms
 * for 640x360), at a fixed quality. One instance per stream thread: not thread-safe, it reuses its
 * writer and output buffer.
 */
public final class JpegEncoder implements AutoCloseable {

    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);

    /** {@code quality} from 1 (smallest) to 100 (best). */
    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100: " + quality);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no JPEG image writer");
        }
        writer = writers.next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
    }

    /** The JPEG bytes of {@code image} (RGB or BGR, 8 bits per channel). */
    public byte[] encode(BufferedImage image) {
        out.reset();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            // Only a memory stream is written: an IOException here is a bug or a broken image, never I/O.
            throw new UncheckedIOException("cannot encode " + image.getWidth() + "x" + image.getHeight() + " JPEG", e);
        } finally {
            writer.setOutput(null);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
