package dev.vigil.common.net;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The SSRF guard for webhook callback URLs: only {@code http} and {@code https} URLs without user
 * info, and only to public addresses, so that an API client cannot make Vigil call its own
 * internals (cloud metadata at 169.254.169.254, the Kafka brokers, admin ports on localhost…).
 * A {@link UrlPolicy} with the callback rules; see it for the address ranges.
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
 * <p>With {@code allowPrivateAddresses} (for demos and tests on one machine) the private ranges are
 * allowed; cloud metadata addresses stay refused. Immutable and thread-safe.
 */
public final class CallbackUrlPolicy {

    public static final int MAX_URL_LENGTH = UrlPolicy.MAX_URL_LENGTH;

    private final UrlPolicy policy;

    /**
     * @param allowPrivateAddresses skip the private-range checks (syntax, resolvability and the cloud
     *                              metadata addresses still apply)
     * @param resolver how host names are resolved; {@link HostResolver#system()} in production
     */
    public CallbackUrlPolicy(boolean allowPrivateAddresses, HostResolver resolver) {
        this.policy = new UrlPolicy("callback_url", Set.of("http", "https"), false,
                "callbacks must go to public addresses", allowPrivateAddresses, List.of(), resolver);
    }

    /** With the JVM's resolver. */
    public CallbackUrlPolicy(boolean allowPrivateAddresses) {
        this(allowPrivateAddresses, HostResolver.system());
    }

    public boolean allowsPrivateAddresses() {
        return policy.allowsPrivateAddresses();
    }

    /** {@link UrlPolicy#checkSyntax}: the shape only, no network access. */
    public URI checkSyntax(String url) throws CallbackUrlException {
        try {
            return policy.checkSyntax(url);
        } catch (UrlPolicy.RefusedException e) {
            throw new CallbackUrlException(e.getMessage());
        }
    }

    /**
     * {@link UrlPolicy#checkResolved}: resolves and checks every address.
     * <strong>Blocks on DNS: never call it on a Vert.x event loop.</strong>
     *
     * @return the addresses checked, in resolver order; connect to one of them
     */
    public List<InetAddress> checkResolved(URI uri) throws CallbackUrlException {
        try {
            return policy.checkResolved(uri);
        } catch (UrlPolicy.RefusedException e) {
            throw new CallbackUrlException(e.getMessage());
        }
    }

    /** Whether {@code address} is a public unicast address, i.e. none of the refused ranges. */
    public static boolean isPublicAddress(InetAddress address) {
        return UrlPolicy.isPublicAddress(address);
    }

    /** The non-public range {@code address} is in ("loopback range 127.0.0.0/8"…), or null if public. */
    static String nonPublicKind(InetAddress address) {
        return UrlPolicy.nonPublicKind(address);
    }
}
