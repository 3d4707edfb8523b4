package dev.vigil.common.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSRF guard for webhook callback URLs (DESIGN §4.3): only {@code http} and {@code https}
 * URLs, and only to public addresses, so that an API client cannot make Vigil call its own
 * internals (cloud metadata at 169.254.169.254, the Kafka brokers, admin ports on localhost…).
 *
 * <p>Two steps, because only the first is cheap:
 * <ol>
 *   <li>{@link #checkSyntax(String)} parses and checks the URL's shape. It never touches the
 *       network and is safe on an event loop; control-api runs it when an alert is created.</li>
 *   <li>{@link #checkResolved(URI)} (which repeats the syntax check) resolves the host and refuses
 *       it if <em>any</em> of its addresses is not public. <strong>It blocks on DNS: call it off
 *       the Vert.x event loop</strong> ({@code executeBlocking} or a worker). control-api runs it at
 *       creation, and the webhook dispatcher again right before each connect, since DNS may have
 *       changed since creation (DNS rebinding). To close the window between check and connect,
 *       connect to one of the returned addresses rather than resolving the host again.</li>
 * </ol>
 *
 * <p>Refused ranges: IPv4 0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12, 192.0.0/24,
 * 192.168/16, 198.18/15, multicast 224/4 and reserved 240/4 (with broadcast); IPv6 {@code ::},
 * {@code ::1}, the deprecated IPv4-compatible {@code ::/96}, {@code 100::/64}, {@code 2001:db8::/32},
 * fc00::/7, fe80::/10, fec0::/10, ff00::/8, local-use NAT64 {@code 64:ff9b:1::/48}; and IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}) addresses
 * whose embedded IPv4 address is refused.
 *
 * <p>Numeric hosts must be plain dotted-decimal IPv4 ({@code 1.2.3.4}): forms that some clients read
 * as IPv4 and others as names — {@code 2130706433}, {@code 0x7f.1}, {@code 127.1}, {@code 0177.0.0.1}
 * — are refused as syntax errors, so the policy and the HTTP client can never disagree about the
 * destination. IP literals are checked without calling the resolver.
 *
 * <p>With {@code allowPrivateAddresses} (for demos and tests on one machine) only the syntax and
 * resolvability are checked. Immutable and thread-safe.
 */
public final class CallbackUrlPolicy {

    private static final Logger log = LoggerFactory.getLogger(CallbackUrlPolicy.class);

    public static final int MAX_URL_LENGTH = 2048;
    /** Longest piece of user input quoted back in an error message. */
    private static final int MAX_QUOTE = 80;

    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    /** Dotted-decimal IPv4 without leading zeros (which some parsers read as octal). */
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    /** A label that the WHATWG URL parser treats as a number, making the whole host an IPv4 address. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

    private static final List<Cidr> IPV4_BLOCKED = List.of(
            Cidr.of("0.0.0.0/8", "unspecified ('this network')"),
            Cidr.of("10.0.0.0/8", "private"),
            Cidr.of("100.64.0.0/10", "carrier-grade NAT"),
            Cidr.of("127.0.0.0/8", "loopback"),
            Cidr.of("169.254.0.0/16", "link-local"),
            Cidr.of("172.16.0.0/12", "private"),
            Cidr.of("192.0.0.0/24", "IETF protocol assignment"),
            Cidr.of("192.168.0.0/16", "private"),
            Cidr.of("198.18.0.0/15", "benchmarking"),
            Cidr.of("224.0.0.0/4", "multicast"),
            Cidr.of("240.0.0.0/4", "reserved"));

    // First match wins, so the specific ::/128 and ::1/128 come before ::/96.
    private static final List<Cidr> IPV6_BLOCKED = List.of(
            Cidr.of("::/128", "unspecified"),
            Cidr.of("::1/128", "loopback"),
            Cidr.of("::/96", "IPv4-compatible (deprecated)"),
            Cidr.of("64:ff9b:1::/48", "local-use NAT64"),
            Cidr.of("100::/64", "discard-only"),
            Cidr.of("2001:db8::/32", "documentation"),
            Cidr.of("fc00::/7", "unique-local"),
            Cidr.of("fe80::/10", "link-local"),
            Cidr.of("fec0::/10", "site-local"),
            Cidr.of("ff00::/8", "multicast"));
    private static final Cidr NAT64 = Cidr.of("64:ff9b::/96", "NAT64");
    private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16", "6to4");

    private final boolean allowPrivateAddresses;
    private final HostResolver resolver;

    /**
     * @param allowPrivateAddresses skip the address checks (syntax and resolvability still apply)
     * @param resolver how host names are resolved; {@link HostResolver#system()} in production
     */
    public CallbackUrlPolicy(boolean allowPrivateAddresses, HostResolver resolver) {
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** With the JVM's resolver. */
    public CallbackUrlPolicy(boolean allowPrivateAddresses) {
        this(allowPrivateAddresses, HostResolver.system());
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivateAddresses;
    }

    /**
     * Parses {@code url} and checks its shape: absolute, {@code http} or {@code https}, a valid host,
     * no user info, at most {@value #MAX_URL_LENGTH} characters, port 1–65535 if given, numeric hosts
     * only as dotted-decimal IPv4 and IPv6 literals without a zone id. No network access.
     *
     * @throws CallbackUrlException naming the problem
     */
    public URI checkSyntax(String url) throws CallbackUrlException {
        if (url == null || url.isBlank()) {
            throw refused("callback_url is empty");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw refused("callback_url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // getReason() and the index rather than getMessage(), which repeats the whole input.
            throw refused("callback_url is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw refused("callback_url must be an absolute http or https URL");
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        if (!lowerScheme.equals("http") && !lowerScheme.equals("https")) {
            throw refused("callback_url scheme '" + quote(scheme) + "' is not allowed; use http or https");
        }
        if (uri.isOpaque()) {
            throw refused("callback_url must look like " + lowerScheme + "://host[:port]/path");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw refused("callback_url has no host");
        }
        // Checked on the raw authority: with an invalid host, java.net.URI reports no user info at all.
        if (authority.indexOf('@') >= 0) {
            throw refused("callback_url must not contain user info (credentials before '@'); remove it");
        }
        String host = uri.getHost();
        if (host == null) {
            throw refused("callback_url host '" + quote(authority)
                    + "' is not a valid host[:port] (ASCII host name, or IP address; use punycode for international names)");
        }
        int port = uri.getPort();
        if (port != -1 && (port < 1 || port > 65535)) {
            throw refused("callback_url port " + port + " is out of range 1-65535");
        }
        if (host.startsWith("[")) {
            if (host.indexOf('%') >= 0) {
                throw refused("callback_url must not use an IPv6 zone id");
            }
        } else if (endsInNumber(host) && !DOTTED_QUAD.matcher(host).matches()) {
            throw refused("callback_url host '" + quote(host)
                    + "' is numeric but not a dotted-decimal IPv4 address (like 203.0.113.7, without leading zeros)");
        }
        return uri;
    }

    /**
     * {@link #checkSyntax(String) Checks the syntax}, then resolves the host (IP literals are taken
     * as they are) and refuses it if it does not resolve or — unless private addresses are allowed —
     * if any of its addresses is not public. A host with one public and one private address is
     * refused: the HTTP client may pick either.
     *
     * <p><strong>Blocks on DNS: never call it on a Vert.x event loop.</strong>
     *
     * @return the addresses checked, in resolver order; connect to one of them
     * @throws CallbackUrlException naming the problem
     */
    public List<InetAddress> checkResolved(URI uri) throws CallbackUrlException {
        Objects.requireNonNull(uri, "uri");
        URI checked = checkSyntax(uri.toString());
        String host = checked.getHost();

        List<InetAddress> addresses;
        InetAddress literal = literalAddress(host);
        if (literal != null) {
            addresses = List.of(literal);
        } else {
            try {
                addresses = resolver.resolve(host);
            } catch (UnknownHostException e) {
                log.debug("Callback host {} does not resolve: {}", host, e.getMessage());
                throw refused("callback_url host '" + quote(host) + "' cannot be resolved");
            }
            if (addresses == null || addresses.isEmpty()) {
                throw refused("callback_url host '" + quote(host) + "' cannot be resolved");
            }
            addresses = List.copyOf(addresses);
        }

        if (!allowPrivateAddresses) {
            for (InetAddress address : addresses) {
                String kind = nonPublicKind(address);
                if (kind != null) {
                    log.debug("Refused callback host {}: {} is in the {}", host, address.getHostAddress(), kind);
                    throw refused((literal != null
                            ? "callback_url address " + address.getHostAddress() + " is in the "
                            : "callback_url host '" + quote(host) + "' resolves to " + address.getHostAddress() + ", in the ")
                            + kind + "; callbacks must go to public addresses");
                }
            }
        }
        return addresses;
    }

    /** Whether {@code address} is a public unicast address, i.e. none of the refused ranges. */
    public static boolean isPublicAddress(InetAddress address) {
        return nonPublicKind(Objects.requireNonNull(address, "address")) == null;
    }

    /** The non-public range {@code address} is in ("loopback range 127.0.0.0/8"…), or null if public. */
    static String nonPublicKind(InetAddress address) {
        byte[] bytes = address.getAddress();
        String kind = bytes.length == 4 ? ipv4Kind(bytes) : ipv6Kind(bytes);
        if (kind != null) {
            return kind;
        }
        // Belt and braces: the JDK's own classification, in case a range above were ever mistyped.
        if (address.isAnyLocalAddress()) {
            return "unspecified range";
        }
        if (address.isLoopbackAddress()) {
            return "loopback range";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local range";
        }
        if (address.isSiteLocalAddress()) {
            return "private range";
        }
        if (address.isMulticastAddress()) {
            return "multicast range";
        }
        return null;
    }

    private static String ipv4Kind(byte[] bytes) {
        for (Cidr cidr : IPV4_BLOCKED) {
            if (cidr.contains(bytes)) {
                return cidr.describe();
            }
        }
        return null;
    }

    private static String ipv6Kind(byte[] bytes) {
        // IPv4-mapped ::ffff:a.b.c.d reaches a.b.c.d on a dual-stack socket. The JDK usually hands
        // these over as Inet4Address already, but not every resolver does.
        if (isV4Mapped(bytes)) {
            return embedded(bytes, 12, "IPv4-mapped");
        }
        for (Cidr cidr : IPV6_BLOCKED) {
            if (cidr.contains(bytes)) {
                return cidr.describe();
            }
        }
        if (NAT64.contains(bytes)) {
            return embedded(bytes, 12, "NAT64");
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return embedded(bytes, 2, "6to4");
        }
        return null;
    }

    private static String embedded(byte[] bytes, int offset, String form) {
        byte[] v4 = new byte[4];
        System.arraycopy(bytes, offset, v4, 0, 4);
        String kind = ipv4Kind(v4);
        return kind == null ? null : kind + " (as " + form + ")";
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** The address of an IP-literal host (bracketed IPv6 or dotted-decimal IPv4), or null for a name. */
    private static InetAddress literalAddress(String host) throws CallbackUrlException {
        try {
            if (host.startsWith("[")) {
                // getByName never does a DNS lookup for a bracketed literal: it parses or fails.
                return InetAddress.getByName(host);
            }
            if (DOTTED_QUAD.matcher(host).matches()) {
                String[] parts = host.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return InetAddress.getByAddress(bytes);
            }
            return null;
        } catch (UnknownHostException e) {
            throw refused("callback_url host '" + quote(host) + "' is not a valid IP address");
        }
    }

    /**
     * Whether the last label (ignoring one trailing dot) is a number, which makes WHATWG-style URL
     * parsers (browsers, many HTTP clients) read the whole host as an IPv4 address.
     */
    private static boolean endsInNumber(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        return NUMERIC_LABEL.matcher(last).matches();
    }

    private static String quote(String userInput) {
        return userInput.length() <= MAX_QUOTE ? userInput : userInput.substring(0, MAX_QUOTE) + "…";
    }

    private static CallbackUrlException refused(String message) {
        return new CallbackUrlException(message);
    }

    /** An address range: the first {@code bits} bits of {@code prefix}. */
    private static final class Cidr {
        private final String text;
        private final byte[] prefix;
        private final int bits;
        private final String kind;

        private Cidr(String text, byte[] prefix, int bits, String kind) {
            this.text = text;
            this.prefix = prefix;
            this.bits = bits;
            this.kind = kind;
        }

        static Cidr of(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            try {
                // Literals only (no DNS); getAddress() keeps the 16-byte form for IPv6 prefixes.
                byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                return new Cidr(cidr, prefix, Integer.parseInt(cidr.substring(slash + 1)), kind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad CIDR constant " + cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }

        String describe() {
            return kind + " range " + text;
        }
    }
}
