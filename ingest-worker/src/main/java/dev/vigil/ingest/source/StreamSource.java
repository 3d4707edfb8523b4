package dev.vigil.ingest.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A stream URL parsed for ingest: its kind, the string FFmpeg opens and, for local files, whether to
 * loop. Accepts what control-api accepts: rtsp(s), rtmp(s), http(s) URLs (an {@code .m3u8} path means
 * HLS) and, when allowed, local files as {@code file:///path} (query {@code loop=true|false}
 * overrides the worker's default) or an absolute path.
 */
public record StreamSource(String url, SourceKind kind, String input, boolean loop) {

    /**
     * Parses {@code url}.
     *
     * @throws SourceException (permanent) for a URL this worker cannot or may not ingest
     */
    public static StreamSource parse(String url, boolean allowFiles, boolean loopFilesByDefault) throws SourceException {
        return parse(url, allowFiles, Optional.empty(), loopFilesByDefault);
    }

    /**
     * Parses {@code url}; a local file must also be inside {@code fileRoot} when one is given (checked
     * on the real path, so neither {@code ..} nor a symbolic link leads out of it).
     *
     * @throws SourceException (permanent) for a URL this worker cannot or may not ingest
     */
    public static StreamSource parse(String url, boolean allowFiles, Optional<Path> fileRoot, boolean loopFilesByDefault)
            throws SourceException {
        if (url == null || url.isBlank()) {
            throw new SourceException("the stream has no URL", true);
        }
        if (url.startsWith("/")) {
            return file(url, Path.of(url), allowFiles, fileRoot, loopFilesByDefault);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new SourceException("not a valid URL: " + e.getReason(), true, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "rtsp", "rtsps" -> network(url, uri, SourceKind.RTSP);
            case "rtmp", "rtmps" -> network(url, uri, SourceKind.RTMP);
            case "http", "https" -> network(url, uri, isPlaylist(uri) ? SourceKind.HLS : SourceKind.HTTP);
            case "file" -> {
                if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw new SourceException("file URLs must name an absolute path (file:///...)", true);
                }
                boolean loop = loopParameter(uri.getQuery()).orElse(loopFilesByDefault);
                yield file(url, Path.of(uri.getPath()), allowFiles, fileRoot, loop);
            }
            default -> throw new SourceException("unsupported URL scheme '" + scheme
                    + "': use rtsp, rtmp, http(s) or, where enabled, a local file", true);
        };
    }

    private static StreamSource network(String url, URI uri, SourceKind kind) throws SourceException {
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new SourceException("the URL names no host", true);
        }
        return new StreamSource(url, kind, url, false);
    }

    private static StreamSource file(String url, Path path, boolean allowFiles, Optional<Path> fileRoot, boolean loop)
            throws SourceException {
        if (!allowFiles) {
            throw new SourceException("local files are not enabled on this worker (VIGIL_INGEST_ALLOW_FILES)", true);
        }
        Path normalized = path.normalize();
        if (!Files.isRegularFile(normalized)) {
            throw new SourceException("no such file: " + normalized, true);
        }
        if (!Files.isReadable(normalized)) {
            throw new SourceException("file is not readable: " + normalized, true);
        }
        if (fileRoot.isPresent()) {
            try {
                Path real = normalized.toRealPath();
                if (!real.startsWith(fileRoot.get().toRealPath())) {
                    throw new SourceException("local files must be in " + fileRoot.get()
                            + " on this worker (VIGIL_INGEST_FILE_ROOT)", true);
                }
                normalized = real;
            } catch (java.io.IOException e) {
                throw new SourceException("no such file: " + normalized, true, e);
            }
        }
        return new StreamSource(url, SourceKind.FILE, normalized.toString(), loop);
    }

    private static boolean isPlaylist(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
        return path.endsWith(".m3u8") || path.endsWith(".m3u");
    }

    private static Optional<Boolean> loopParameter(String query) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("loop")) {
                String v = kv.length == 2 ? kv[1].toLowerCase(Locale.ROOT) : "true";
                return Optional.of(v.equals("true") || v.equals("1") || v.equals("yes"));
            }
        }
        return Optional.empty();
    }

    /** The URL with any user info masked, for logs and statuses. */
    public String redactedUrl() {
        return redact(url);
    }

    /** {@code rtsp://user:pass@cam/...} → {@code rtsp://***@cam/...}: camera URLs often carry credentials. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1***@");
    }
}
