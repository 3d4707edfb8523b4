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
 * The SSRF guard for URLs that Vigil fetches on a user's behalf — webhook callbacks
 * ({@link CallbackUrlPolicy}) and stream sources ({@link #forStreamSources}) — so that an API client
 * cannot make Vigil call its own internals (cloud metadata at 169.254.169.254, the Kafka brokers,
 * admin ports on localhost…).
 *
 * <p>Two steps, because only the first is cheap:
 * <ol>
 *   <li>{@link #checkSyntax(String)} parses and checks the URL's shape. It never touches the
 *       network and is safe on an event loop.</li>
 *   <li>{@link #checkResolved(URI)} (which repeats the syntax check) resolves the host and refuses
 *       it if <em>any</em> of its addresses is refused. <strong>It blocks on DNS: call it off the
 *       Vert.x event loop.</strong> Callers check at creation and again right before each connect,
 *       since DNS may have changed since creation (DNS rebinding); to close the window between check
 *       and connect, connect to one of the returned addresses rather than resolving the host again.</li>
 * </ol>
 *
 * <p>Address rules, in order:
 * <ol>
 *   <li>cloud metadata and similar instance-credential endpoints ({@link #ALWAYS_REFUSED}:
 *       169.254.169.254, 169.254.170.2, 169.254.170.23, fd00:ec2::254, fd00:ec2::23, 100.100.100.200,
 *       192.0.0.192, 168.63.129.16) are refused <em>always</em>, also in any IPv4-mapped, NAT64, 6to4 or
 *       IPv4-compatible spelling, whatever the operator allows;</li>
 *   <li>the operator's extra refused ranges ({@code extraRefused}) are refused always;</li>
 *   <li>unless private addresses are allowed: IPv4 0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16,
 *       172.16/12, 192.0.0/24, 192.168/16, 198.18/15, multicast 224/4 and reserved 240/4 (with
 *       broadcast); IPv6 {@code ::}, {@code ::1}, the deprecated IPv4-compatible {@code ::/96},
 *       {@code 100::/64}, {@code 2001:db8::/32}, fc00::/7, fe80::/10, fec0::/10, ff00::/8, local-use
 *       NAT64 {@code 64:ff9b:1::/48}; and IPv4-mapped ({@code ::ffff:a.b.c.d}), NAT64
 *       ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}) addresses whose embedded IPv4 address is
 *       refused.</li>
 * </ol>
 *
 * <p>Numeric hosts must be plain dotted-decimal IPv4 ({@code 1.2.3.4}): forms that some clients read
 * as IPv4 and others as names — {@code 2130706433}, {@code 0x7f.1}, {@code 127.1}, {@code 0177.0.0.1}
 * — are refused as syntax errors, with the address they stand for in the message, so the policy and
 * the client that fetches (an HTTP client, FFmpeg's {@code getaddrinfo}) can never disagree about the
 * destination. IP literals are checked without calling the resolver. Immutable and thread-safe.
 */
public final class UrlPolicy {

    private static final Logger log = LoggerFactory.getLogger(UrlPolicy.class);

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

    /** Cloud metadata and instance-credential endpoints: refused whatever the operator allows. */
    public static final List<String> ALWAYS_REFUSED = List.of(
            "169.254.169.254/32", // AWS, GCP, Azure, OpenStack, DigitalOcean… instance metadata
            "169.254.170.2/32",   // AWS ECS task metadata and credentials
            "169.254.170.23/32",  // AWS EKS pod identity agent
            "fd00:ec2::254/128",  // AWS instance metadata over IPv6
            "fd00:ec2::23/128",   // AWS EKS pod identity agent over IPv6
            "100.100.100.200/32", // Alibaba Cloud metadata
            "192.0.0.192/32",     // Oracle Cloud metadata
            "168.63.129.16/32");  // Azure wire server
    private static final List<Cidr> METADATA = ALWAYS_REFUSED.stream().map(c -> Cidr.of(c, "cloud metadata")).toList();

    /** What a refusal was about, so callers can word it (a stream's status says only the kind). */
    public enum Refusal {
        /** The URL's shape: scheme, host spelling, user info, port, length. */
        SYNTAX,
        /** The host name does not resolve. */
        UNRESOLVABLE,
        /** The host is or resolves to a refused address. */
        ADDRESS
    }

    /** A URL refused by the policy; the message is for the API client and names the problem. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Refusal refusal;

        RefusedException(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final String field;
    private final java.util.Set<String> schemes;
    private final boolean allowUserInfo;
    private final String publicOnlyHint;
    private final boolean allowPrivateAddresses;
    private final List<Cidr> extraRefused;
    private final HostResolver resolver;

    /**
     * @param field                 the request field named in messages ({@code callback_url}, {@code url})
     * @param schemes               the accepted schemes, lower case
     * @param allowUserInfo         whether {@code user:pass@} may precede the host (camera URLs need it)
     * @param publicOnlyHint        the end of a refusal for a private address (what the rule is)
     * @param allowPrivateAddresses skip the private-range checks (metadata and extra ranges still apply)
     * @param extraRefused          more CIDR ranges to refuse always, e.g. {@code 10.1.2.0/24}
     * @param resolver              how host names are resolved; {@link HostResolver#system()} in production
     * @throws IllegalArgumentException for a malformed range in {@code extraRefused}
     */
    public UrlPolicy(String field, java.util.Set<String> schemes, boolean allowUserInfo, String publicOnlyHint,
            boolean allowPrivateAddresses, List<String> extraRefused, HostResolver resolver) {
        this.field = Objects.requireNonNull(field, "field");
        this.schemes = java.util.Set.copyOf(schemes);
        this.allowUserInfo = allowUserInfo;
        this.publicOnlyHint = publicOnlyHint;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.extraRefused = extraRefused.stream().map(c -> Cidr.of(c.trim(), "refused by the operator")).toList();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The policy for network stream sources: rtsp(s), rtmp(s), http(s); credentials allowed in the URL;
     * private addresses only when the operator allows them (cameras usually live on private networks).
     */
    public static UrlPolicy forStreamSources(boolean allowPrivateAddresses, List<String> extraRefused,
            HostResolver resolver) {
        return new UrlPolicy("url", java.util.Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https"), true,
                "stream sources must be public addresses unless the operator allows private sources "
                        + "(VIGIL_SOURCES_ALLOW_PRIVATE)",
                allowPrivateAddresses, extraRefused, resolver);
    }

    /** Whether {@code range} is a valid CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 10.1.2.3}). */
    public static boolean isValidRange(String range) {
        try {
            Cidr.of(range.trim(), "check");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean allowsPrivateAddresses() {
        return allowPrivateAddresses;
    }

    /**
     * Parses {@code url} and checks its shape: absolute, one of the accepted schemes, a valid host, no
     * user info unless allowed, at most {@value #MAX_URL_LENGTH} characters, port 1–65535 if given,
     * numeric hosts only as dotted-decimal IPv4 and IPv6 literals without a zone id. No network access.
     *
     * @throws RefusedException naming the problem
     */
    public URI checkSyntax(String url) throws RefusedException {
        if (url == null || url.isBlank()) {
            throw syntax(field + " is empty");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw syntax(field + " is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // getReason() and the index rather than getMessage(), which repeats the whole input.
            throw syntax(field + " is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme();
        List<String> sorted = List.copyOf(new java.util.TreeSet<>(schemes));
        String accepted = sorted.size() == 1 ? sorted.get(0) : String.join(", ", sorted.subList(0, sorted.size() - 1))
                + " or " + sorted.get(sorted.size() - 1);
        if (scheme == null) {
            throw syntax(field + " must be an absolute " + accepted + " URL");
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        if (!schemes.contains(lowerScheme)) {
            throw syntax(field + " scheme '" + quote(scheme) + "' is not allowed; use " + accepted);
        }
        if (uri.isOpaque()) {
            throw syntax(field + " must look like " + lowerScheme + "://host[:port]/path");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw syntax(field + " has no host");
        }
        // Checked on the raw authority: with an invalid host, java.net.URI reports no user info at all.
        if (!allowUserInfo && authority.indexOf('@') >= 0) {
            throw syntax(field + " must not contain user info (credentials before '@'); remove it");
        }
        String host = uri.getHost();
        if (host == null) {
            String hostPart = authority.substring(authority.lastIndexOf('@') + 1);
            String bare = hostPart.startsWith("[") || hostPart.indexOf(':') < 0 ? hostPart
                    : hostPart.substring(0, hostPart.lastIndexOf(':'));
            String means = NumericHosts.inetAton(bare);
            if (means != null) {
                throw syntax(field + " host '" + quote(bare) + "' is numeric but not a dotted-decimal IPv4 address "
                        + "(like 203.0.113.7, without leading zeros); it would be read as " + means);
            }
            throw syntax(field + " host '" + quote(hostPart)
                    + "' is not a valid host[:port] (ASCII host name, or IP address; use punycode for international names)");
        }
        int port = uri.getPort();
        if (port != -1 && (port < 1 || port > 65535)) {
            throw syntax(field + " port " + port + " is out of range 1-65535");
        }
        if (host.startsWith("[")) {
            if (host.indexOf('%') >= 0) {
                throw syntax(field + " must not use an IPv6 zone id");
            }
        } else if (endsInNumber(host) && !DOTTED_QUAD.matcher(host).matches()) {
            String means = NumericHosts.inetAton(host);
            throw syntax(field + " host '" + quote(host)
                    + "' is numeric but not a dotted-decimal IPv4 address (like 203.0.113.7, without leading zeros)"
                    + (means == null ? "" : "; it would be read as " + means));
        }
        return uri;
    }

    /**
     * {@link #checkSyntax(String) Checks the syntax}, then resolves the host (IP literals are taken
     * as they are) and refuses it if it does not resolve or if any of its addresses is refused
     * ({@link #checkAddress}). A host with one public and one private address is refused: the
     * client may pick either.
     *
     * <p><strong>Blocks on DNS: never call it on a Vert.x event loop.</strong>
     *
     * @return the addresses checked, in resolver order; connect to one of them
     * @throws RefusedException naming the problem
     */
    public List<InetAddress> checkResolved(URI uri) throws RefusedException {
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
                log.debug("Host {} does not resolve: {}", host, e.getMessage());
                throw new RefusedException(Refusal.UNRESOLVABLE, field + " host '" + quote(host) + "' cannot be resolved");
            }
            if (addresses == null || addresses.isEmpty()) {
                throw new RefusedException(Refusal.UNRESOLVABLE, field + " host '" + quote(host) + "' cannot be resolved");
            }
            addresses = List.copyOf(addresses);
        }
        for (InetAddress address : addresses) {
            String kind = refusedKind(address);
            if (kind != null) {
                log.debug("Refused {} host {}: {} is in the {}", field, host, address.getHostAddress(), kind);
                throw new RefusedException(Refusal.ADDRESS, (literal != null
                        ? field + " address " + address.getHostAddress() + " is in the "
                        : field + " host '" + quote(host) + "' resolves to " + address.getHostAddress() + ", in the ")
                        + kind + (isAlwaysRefused(kind) ? "" : "; " + publicOnlyHint));
            }
        }
        return addresses;
    }

    /** Refuses one address by the rules of this policy (metadata, extra ranges, private ranges). */
    public void checkAddress(String host, InetAddress address) throws RefusedException {
        String kind = refusedKind(address);
        if (kind != null) {
            throw new RefusedException(Refusal.ADDRESS, field + " host '" + quote(host) + "' resolves to "
                    + address.getHostAddress() + ", in the " + kind + (isAlwaysRefused(kind) ? "" : "; " + publicOnlyHint));
        }
    }

    /** Why this policy refuses {@code address}, or null when it accepts it. */
    String refusedKind(InetAddress address) {
        if (!allowPrivateAddresses) {
            String kind = nonPublicKind(address);
            if (kind != null) {
                return kind;
            }
        }
        byte[] bytes = address.getAddress();
        for (byte[] form : forms(bytes)) {
            for (Cidr cidr : METADATA) {
                if (cidr.contains(form)) {
                    return cidr.describe();
                }
            }
            for (Cidr cidr : extraRefused) {
                if (cidr.contains(form)) {
                    return cidr.describe();
                }
            }
        }
        return null;
    }

    private static boolean isAlwaysRefused(String kind) {
        return kind.startsWith("cloud metadata") || kind.startsWith("refused by the operator");
    }

    /** The address itself and, for an IPv6 address embedding an IPv4 one, that IPv4 address too. */
    private static List<byte[]> forms(byte[] bytes) {
        if (bytes.length == 4) {
            return List.of(bytes);
        }
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= bytes[i] == 0;
        }
        if (isV4Mapped(bytes) || compatible || NAT64.contains(bytes)) {
            return List.of(bytes, java.util.Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return List.of(bytes, java.util.Arrays.copyOfRange(bytes, 2, 6));
        }
        return List.of(bytes);
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
    private InetAddress literalAddress(String host) throws RefusedException {
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
            throw syntax(field + " host '" + quote(host) + "' is not a valid IP address");
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

    private static RefusedException syntax(String message) {
        return new RefusedException(Refusal.SYNTAX, message);
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

        /** {@code a.b.c.d/n}, {@code v6::/n}, or a single address; IP literals only, never a name (no DNS). */
        static Cidr of(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            String literal = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!DOTTED_QUAD.matcher(literal).matches() && literal.indexOf(':') < 0) {
                throw new IllegalArgumentException("bad CIDR range " + cidr + ": not an IP address");
            }
            try {
                // getAddress() keeps the 16-byte form for IPv6 prefixes.
                byte[] prefix = InetAddress.getByName(literal).getAddress();
                int bits = slash < 0 ? prefix.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException("bad CIDR range " + cidr + ": prefix length out of range");
                }
                return new Cidr(cidr, prefix, bits, kind);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("bad CIDR range " + cidr, e);
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
