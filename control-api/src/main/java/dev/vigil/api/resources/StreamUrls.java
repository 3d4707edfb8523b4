package dev.vigil.api.resources;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which stream sources are accepted: rtsp(s), rtmp(s) and http(s) URLs with a host; local files
 * ({@code file:///…} or an absolute path) only when the operator allows them, since they expose the
 * server's file system.
 */
final class StreamUrls {

    static final int MAX_LENGTH = 2048;
    /** Query parameters that carry credentials in camera and streaming URLs (matched case-insensitively). */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)^(password|passwd|pass|pwd|token|access_token|auth|authorization|secret|key|apikey|api_key|signature|sig"
                    + "|credentials|user|username|login)$");
    /** {@code scheme://user:pass@} anywhere in a text (an FFmpeg error line quoting its input, say). */
    private static final Pattern USERINFO_IN_TEXT = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s/?#]*@");
    /** {@code password=…} and friends anywhere in a text. */
    private static final Pattern SECRET_PARAMETER_IN_TEXT = Pattern.compile(
            "(?i)([?&;\\s](?:password|passwd|pwd|token|access_token|secret|api_?key|signature|sig)=)[^&\\s\"']*");
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

    /**
     * {@code url} without user-info, query parameters that carry credentials, or fragment — a name
     * for a stream that can be shown anywhere: {@code rtsp://user:pass@cam/x?token=t&ch=1} becomes
     * {@code rtsp://cam/x?ch=1}. File paths are returned as they are.
     */
    static String withoutCredentials(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            return url;
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        // The last '@': passwords written without percent-encoding may contain '@' themselves.
        int at = url.lastIndexOf('@', authorityEnd - 1);
        String host = at >= authorityStart ? url.substring(at + 1, authorityEnd) : url.substring(authorityStart, authorityEnd);
        String rest = url.substring(authorityEnd);
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            String kept = Arrays.stream(rest.substring(query + 1).split("[&;]"))
                    .filter(p -> !p.isEmpty() && !SECRET_PARAMETER.matcher(p.split("=", 2)[0]).matches())
                    .collect(Collectors.joining("&"));
            rest = rest.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
        }
        return url.substring(0, authorityStart) + host + rest;
    }

    /** {@code text} with any URL credentials in it masked, for free text such as an ingest failure reason. */
    static String redactCredentials(String text) {
        if (text == null) {
            return null;
        }
        String withoutUserInfo = USERINFO_IN_TEXT.matcher(text).replaceAll("$1***@");
        return SECRET_PARAMETER_IN_TEXT.matcher(withoutUserInfo).replaceAll("$1***");
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
