package dev.vigil.ingest.source;

import dev.vigil.common.net.UrlPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a network source against the {@link UrlPolicy} right before FFmpeg opens it — again after
 * control-api's check at creation, since DNS may answer differently now (rebinding) — and follows what
 * FFmpeg would otherwise follow on its own:
 * <ul>
 *   <li>every address the host resolves to must be allowed (metadata addresses never are);</li>
 *   <li>HTTP and HLS: the URL is fetched here without following redirects; each {@code Location} is
 *       checked before it is followed (at most {@value #MAX_REDIRECTS}), and FFmpeg is handed the final
 *       URL with its own redirects off ({@code max_redirects=0}, see {@link Grabbers});</li>
 *   <li>HLS — a {@code .m3u8} URL, or any HTTP body that starts with {@code #EXTM3U}, which FFmpeg
 *       would probe as HLS: the playlist is read (at most {@value #MAX_PLAYLIST_BYTES} bytes) and every URI in it —
 *       variant and media playlists, segments, keys, maps — must be http(s) to an allowed host; variant
 *       playlists are fetched and checked the same way (at most {@value #MAX_PLAYLISTS}).</li>
 * </ul>
 * What it does not cover (see docs/security.md): FFmpeg resolves the host again when it connects (a
 * DNS answer changed within those milliseconds is not seen); a live playlist FFmpeg reloads later, and
 * a redirect answered to FFmpeg for a segment or variant (FFmpeg's HLS demuxer does not pass
 * {@code max_redirects} on to them), are not checked; RTSP servers can redirect FFmpeg too.
 *
 * <p>Blocks on DNS and HTTP: call it on the stream's own thread. Thread-safe.
 */
public final class SourceGuard {

    private static final Logger log = LoggerFactory.getLogger(SourceGuard.class);
    static final int MAX_REDIRECTS = 5;
    static final int MAX_PLAYLIST_BYTES = 1024 * 1024;
    static final int MAX_PLAYLISTS = 16;
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");

    private final UrlPolicy policy;
    private final HttpClient http;
    private final Duration timeout;

    public SourceGuard(UrlPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
        // Named daemon threads that end after a second idle: checks are rare (one per (re)connect), and
        // the JDK's default pool would keep a thread per concurrent check alive for a minute.
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 4, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "vigil-ingest-source-check-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    /**
     * The source to hand FFmpeg: {@code source} itself, or for HTTP(S) with the final URL after checked
     * redirects. Files are not checked here (their directory rule is {@link StreamSource#parse}'s).
     *
     * @throws SourceException refused by the policy (permanent, shown as "source refused by policy"),
     *                         or the source cannot be reached (temporary, "source unreachable")
     */
    public StreamSource check(StreamSource source) throws SourceException {
        if (!source.kind().isNetwork()) {
            return source;
        }
        URI uri = URI.create(source.input());
        checkHost(uri);
        if (source.kind() != SourceKind.HTTP && source.kind() != SourceKind.HLS) {
            return source;
        }
        Fetched fetched = fetch(uri);
        // By content, not by name: FFmpeg probes an HTTP body starting with #EXTM3U as HLS whatever
        // the URL's extension, and would then open every URI in it.
        if (source.kind() == SourceKind.HLS || fetched.body.startsWith("#EXTM3U")) {
            checkPlaylist(fetched, new int[] {1});
        }
        return fetched.uri.equals(uri) ? source
                : new StreamSource(source.url(), source.kind(), fetched.uri.toString(), source.loop());
    }

    private record Fetched(URI uri, String body) {
    }

    /**
     * GETs {@code uri}, following only checked redirects; reads the body if it is a playlist (up to
     * {@value #MAX_PLAYLIST_BYTES} bytes), otherwise only its first bytes.
     */
    private Fetched fetch(URI start) throws SourceException {
        URI uri = start;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET()
                        .header("User-Agent", "Vigil-Ingest").build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw unreachable("cannot fetch " + StreamSource.redact(uri.toString()) + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreachable("interrupted while fetching " + StreamSource.redact(uri.toString()), e);
            }
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status >= 300 && status < 400) {
                    String location = response.headers().firstValue("Location").orElse(null);
                    if (location == null || hop + 1 > MAX_REDIRECTS) {
                        throw new SourceException("HTTP " + status + (location == null ? " without Location"
                                : " after " + MAX_REDIRECTS + " redirects") + " from " + StreamSource.redact(uri.toString()),
                                true, null, "cannot open: " + SourceException.REJECTED);
                    }
                    URI next = uri.resolve(location.trim());
                    checkHttpUri(next, "redirect");
                    log.debug("Source {} redirects to {}", StreamSource.redact(uri.toString()), StreamSource.redact(next.toString()));
                    uri = next;
                    continue;
                }
                if (status >= 400) {
                    // FFmpeg would fail the same way; say it without opening a decoder.
                    // Permanent like FFmpeg's own classification (FfmpegErrors): 400, 401, 403; a 404
                    // can heal (a live path that is not published yet).
                    throw new SourceException("HTTP " + status + " from " + StreamSource.redact(uri.toString()),
                            status == 400 || status == 401 || status == 403, null,
                            "cannot open: " + (status < 500 ? SourceException.REJECTED : SourceException.UNREACHABLE));
                }
                byte[] head = body.readNBytes(7);
                String text = new String(head, StandardCharsets.UTF_8);
                if (text.equals("#EXTM3U")) {
                    text += new String(body.readNBytes(MAX_PLAYLIST_BYTES - head.length), StandardCharsets.UTF_8);
                }
                return new Fetched(uri, text);
            } catch (IOException e) {
                throw unreachable("cannot read " + StreamSource.redact(uri.toString()) + ": " + e, e);
            }
        }
    }

    /** Checks every URI of an HLS playlist, and recursively the playlists it names. */
    private void checkPlaylist(Fetched playlist, int[] fetched) throws SourceException {
        Set<URI> nested = new HashSet<>();
        for (URI u : references(playlist)) {
            checkHttpUri(u, "playlist entry");
            String path = u.getPath() == null ? "" : u.getPath().toLowerCase(Locale.ROOT);
            if (path.endsWith(".m3u8") || path.endsWith(".m3u")) {
                nested.add(u);
            }
        }
        for (URI u : nested) {
            if (++fetched[0] > MAX_PLAYLISTS) {
                throw new SourceException("the playlist names more than " + MAX_PLAYLISTS + " playlists", true, null,
                        "cannot open: " + SourceException.UNSUPPORTED_MEDIA);
            }
            checkPlaylist(fetch(u), fetched);
        }
    }

    /** The URIs a playlist refers to: non-comment lines and {@code URI="…"} attributes, resolved. */
    private static List<URI> references(Fetched playlist) throws SourceException {
        List<URI> out = new ArrayList<>();
        for (String raw : playlist.body.split("\r?\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            List<String> found = new ArrayList<>();
            if (line.startsWith("#")) {
                Matcher m = URI_ATTRIBUTE.matcher(line);
                while (m.find()) {
                    found.add(m.group(1));
                }
            } else {
                found.add(line);
            }
            for (String ref : found) {
                try {
                    out.add(playlist.uri.resolve(ref));
                } catch (IllegalArgumentException e) {
                    throw refused("the playlist has an invalid URI " + ref, e);
                }
            }
        }
        return out;
    }

    private void checkHttpUri(URI uri, String what) throws SourceException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("a " + what + " uses scheme '" + scheme + "' (" + StreamSource.redact(uri.toString())
                    + "); only http and https are followed", null);
        }
        checkHost(uri);
    }

    private void checkHost(URI uri) throws SourceException {
        try {
            List<InetAddress> addresses = policy.checkResolved(uri);
            log.trace("Source host {} checked: {}", uri.getHost(), addresses);
        } catch (UrlPolicy.RefusedException e) {
            if (e.refusal() == UrlPolicy.Refusal.UNRESOLVABLE) {
                throw unreachable(e.getMessage(), e);
            }
            throw refused(e.getMessage(), e);
        }
    }

    private static SourceException refused(String detail, Throwable cause) {
        return new SourceException(detail, true, cause, "cannot open: " + SourceException.REFUSED_BY_POLICY);
    }

    private static SourceException unreachable(String detail, Throwable cause) {
        return new SourceException(detail, false, cause, "cannot open: " + SourceException.UNREACHABLE);
    }
}
