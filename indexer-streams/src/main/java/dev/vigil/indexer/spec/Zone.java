package dev.vigil.indexer.spec;

import java.util.List;

/**
 * A named polygon of the picture. Points are relative ({@code [0,1]}, origin top-left) unless
 * {@code pixels}, in which case they are scaled by the frame size at use.
 *
 * @param key    the zone name's words, lower case, joined by {@code _} ("Loading Dock" → {@code loading_dock}),
 *               the key the rules use ({@code zones["loading_dock"]})
 * @param xs     x of each vertex
 * @param ys     y of each vertex
 * @param pixels whether the points are pixel coordinates
 */
public record Zone(String key, double[] xs, double[] ys, boolean pixels) {

    /** Whether the relative point {@code (x, y)} of a {@code width}x{@code height} frame lies inside (even-odd rule). */
    public boolean contains(double x, double y, int width, int height) {
        double px = pixels ? x * width : x;
        double py = pixels ? y * height : y;
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > py) != (ys[j] > py)
                    && px < (xs[j] - xs[i]) * (py - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** "Loading Dock" → {@code loading_dock}. */
    public static String keyOf(String name) {
        List<String> words = List.of(name.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+"));
        return String.join("_", words.stream().filter(w -> !w.isEmpty()).toList());
    }
}
