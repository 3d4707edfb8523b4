package dev.vigil.api.resources;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which stream sources are accepted: rtsp(s), rtmp(s) and http(s) URLs with a host; local files
 * ({@code file:///…} or an absolute path) only when the operator allows them, since they expose the
 * server's file system.
 */
final class StreamUrls {

    static final int MAX_LENGTH = 2048;
    private static final Set<String> NETWORK_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https");

    private StreamUrls() {
    }

    /** The problem with {@code url}, if any, as a sentence for the client. */
    static Optional<String> problem(String url, boolean allowFiles) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (url.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("must not contain spaces");
        }
        if (url.startsWith("/")) {
            return allowFiles ? fileProblem(Path.of(url).normalize().toString()) : Optional.of(filesRefused());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ("file".equals(scheme)) {
            return allowFiles ? fileProblem(uri.getPath()) : Optional.of(filesRefused());
        }
        if (!NETWORK_SCHEMES.contains(scheme)) {
            return Optional.of("must use one of rtsp, rtsps, rtmp, rtmps, http, https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("must name a host");
        }
        return Optional.empty();
    }

    private static Optional<String> fileProblem(String path) {
        if (path == null || path.isBlank() || !path.startsWith("/")) {
            return Optional.of("must be an absolute file path");
        }
        return Optional.empty();
    }

    private static String filesRefused() {
        return "must be a network URL (rtsp, rtmp, http, https); local files are not enabled on this server";
    }
}
