package dev.vigil.ingest.media;

/**
 * Output size of sampled frames: the source's display size (pixels times their aspect ratio) scaled
 * down to at most {@code maxWidth}, keeping the aspect ratio, with even dimensions (what most
 * consumers of JPEGs and video encoders prefer).
 */
public record FrameSize(int width, int height) {

    public FrameSize {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
    }

    /**
     * The size for a {@code width}x{@code height} source whose pixels have aspect ratio
     * {@code pixelAspect} (1 for square pixels; 0 or NaN when unknown, treated as 1).
     */
    public static FrameSize fit(int width, int height, double pixelAspect, int maxWidth) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("source size must be positive: " + width + "x" + height);
        }
        double aspect = pixelAspect > 0 && Double.isFinite(pixelAspect) ? pixelAspect : 1.0;
        double displayWidth = width * aspect;
        double scale = Math.min(1.0, maxWidth / displayWidth);
        int w = even(displayWidth * scale);
        return new FrameSize(w > maxWidth && w > 2 ? w - 2 : w, even(height * scale));
    }

    private static int even(double value) {
        int rounded = (int) Math.round(value / 2.0) * 2;
        return Math.max(2, rounded);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
