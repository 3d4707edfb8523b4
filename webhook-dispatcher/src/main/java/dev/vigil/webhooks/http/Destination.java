package dev.vigil.webhooks.http;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where one attempt goes: the callback URL and the address it was checked to resolve to. The
 * request connects to {@code address} — never resolving {@code host} again — and sends {@code host}
 * in the {@code Host} header and for TLS (SNI, certificate check), which closes the DNS-rebinding
 * window between the SSRF check and the connect.
 */
public record Destination(URI uri, InetAddress address) {

    public boolean ssl() {
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    /** The host as written in the URL, without IPv6 brackets. */
    public String host() {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    public int port() {
        return uri.getPort() != -1 ? uri.getPort() : ssl() ? 443 : 80;
    }

    /** Path and query, as sent on the request line. */
    public String requestUri() {
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        String p = path == null || path.isEmpty() ? "/" : path;
        return query == null ? p : p + "?" + query;
    }
}
