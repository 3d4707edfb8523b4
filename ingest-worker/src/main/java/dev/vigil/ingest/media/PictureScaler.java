package dev.vigil.ingest.media;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns one decoded picture, in the decoder's own pixel format (usually YUV 4:2:0), into a BGR image of
 * the frame size to publish, with a single {@code sws_scale} (scaling and colour conversion at once)
 * and one copy into the image's pixel array.
 *
 * <p>Why: the grabber otherwise converts every decoded picture to BGR (and the Java2D converter then
 * copies it once more), although only the few sampled frames a second are used: at 10–25 fps and 1–2
 * sampled frames/s that was most of the conversion work of a stream. The grabber runs in RAW image mode
 * and hands over the picture ({@code Frame.opaque}); this class converts only the sampled ones.
 *
 * <p>One instance per stream thread (not thread-safe); {@link #close()} frees the native buffers.
 */
public final class PictureScaler implements AutoCloseable {

    private SwsContext context;
    private BytePointer buffer;
    private final PointerPointer<BytePointer> destination = new PointerPointer<>(1);
    private final IntPointer destinationStride = new IntPointer(1);
    private int width;
    private int height;

    /** The picture scaled to {@code width}x{@code height}, as a {@link BufferedImage#TYPE_3BYTE_BGR} image. */
    public BufferedImage toBgr(AVFrame picture, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad target size " + width + "x" + height);
        }
        context = swscale.sws_getCachedContext(context, picture.width(), picture.height(), picture.format(), width, height,
                avutil.AV_PIX_FMT_BGR24, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        if (context == null) {
            throw new IllegalStateException("FFmpeg cannot convert pixel format " + picture.format() + " to BGR");
        }
        if (buffer == null || this.width != width || this.height != height) {
            freeBuffer();
            // av_malloc aligns the rows' start for FFmpeg's SIMD code; rows are packed (stride = 3 x width).
            buffer = new BytePointer(avutil.av_malloc((long) width * height * 3)).capacity((long) width * height * 3);
            destination.put(0, buffer);
            destinationStride.put(0, width * 3);
            this.width = width;
            this.height = height;
        }
        swscale.sws_scale(context, picture.data(), picture.linesize(), 0, picture.height(), destination, destinationStride);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        buffer.get(pixels, 0, pixels.length);
        return image;
    }

    private void freeBuffer() {
        if (buffer != null) {
            avutil.av_free(buffer);
            buffer = null;
        }
    }

    @Override
    public void close() {
        freeBuffer();
        if (context != null) {
            swscale.sws_freeContext(context);
            context = null;
        }
        destination.close();
        destinationStride.close();
    }
}
