package dev.vigil.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses. A seam so that {@link CallbackUrlPolicy} can be tested
 * without DNS, and so that a service can plug in the resolver its HTTP client uses.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * All addresses of {@code host}. May block on DNS.
     *
     * @throws UnknownHostException if the host does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver, {@link InetAddress#getAllByName} (honours the JVM's DNS cache settings). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
