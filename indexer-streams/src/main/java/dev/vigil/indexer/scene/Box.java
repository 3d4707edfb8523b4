package dev.vigil.indexer.scene;

/**
 * A detection in relative picture coordinates ({@code [0,1]}, origin top-left) with its detector score.
 */
public record Box(float x, float y, float w, float h, float score) {

    /** Intersection over the smaller box's area: 1 when one box contains the other. */
    public double overlap(Box o) {
        double ix = Math.max(0, Math.min(x + w, o.x + o.w) - Math.max(x, o.x));
        double iy = Math.max(0, Math.min(y + h, o.y + o.h) - Math.max(y, o.y));
        double smaller = Math.min(w * h, o.w * o.h);
        return smaller <= 0 ? 0 : ix * iy / smaller;
    }

    /** Bottom centre: where a standing person is, for zone membership. */
    public double footX() {
        return x + w / 2.0;
    }

    public double footY() {
        return y + h;
    }

    public double centreX() {
        return x + w / 2.0;
    }

    public double centreY() {
        return y + h / 2.0;
    }
}
