package dev.vigil.api.playback;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single HTTP byte range (RFC 9110 §14) of a representation of known length: {@code bytes=first-last},
 * {@code bytes=first-} or the suffix {@code bytes=-length}. What a video element and FFmpeg send for an MP4.
 *
 * @param first offset of the first byte
 * @param last  offset of the last byte (inclusive)
 */
record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    /** Thrown for a well-formed range that lies outside the representation: the answer is 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable(String message) {
            super(message);
        }
    }

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range {@code header} asks for in a representation of {@code size} bytes; empty when there is no
     * header or it is one this server ignores (RFC 9110 lets a server ignore a Range it does not understand, and
     * several ranges at once): then the whole representation is sent with 200.
     *
     * @throws Unsatisfiable when the range starts beyond the end, or is the empty suffix {@code -0}
     */
    static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable("the range " + header.trim() + " selects no bytes of " + size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return Optional.empty(); // last before first: invalid syntax, ignored
            }
            if (first >= size) {
                throw new Unsatisfiable("the range " + header.trim() + " starts beyond the " + size + " bytes there are");
            }
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // digits beyond a long: not a range this server understands
        }
    }
}
