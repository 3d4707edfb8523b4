package dev.vigil.common.storage;

import java.util.regex.Pattern;

/**
 * The keys every {@link SegmentStore} accepts: relative paths of letters, digits, '.', '_' and '-' whose
 * segments do not start with a dot — no "..", no absolute paths, the same on a file system and in a bucket.
 */
public final class SegmentKeys {

    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private SegmentKeys() {
    }

    /** Returns {@code key}; {@link IllegalArgumentException} when it is not a safe key. */
    public static String check(String key) {
        if (key == null || !SAFE_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a segment key: " + key);
        }
        return key;
    }
}
