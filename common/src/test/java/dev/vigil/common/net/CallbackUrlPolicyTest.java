package dev.vigil.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlPolicyTest {

    /** Resolves every name to the addresses in the map; no network. */
    private static HostResolver fake(Map<String, List<InetAddress>> answers) {
        return host -> {
            List<InetAddress> found = answers.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        };
    }

    /** For URLs whose host must never reach the resolver (IP literals, syntax errors). */
    private static final HostResolver MUST_NOT_RESOLVE = host -> {
        throw new AssertionError("resolver called for " + host);
    };

    private static CallbackUrlPolicy resolvingTo(String... literals) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            addresses.add(ip(literal));
        }
        return new CallbackUrlPolicy(false, fake(Map.of("hooks.example.com", addresses)));
    }

    // --- address ranges ---------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0,         'this network'",
        "0.1.2.3,         'this network'",
        "10.0.0.1,        private",
        "10.255.255.255,  private",
        "100.64.0.1,      carrier-grade NAT",
        "100.127.255.255, carrier-grade NAT",
        "127.0.0.1,       loopback",
        "127.255.255.254, loopback",
        "169.254.169.254, link-local",
        "172.16.0.1,      private",
        "172.31.255.255,  private",
        "192.0.0.170,     IETF protocol assignment",
        "192.168.1.1,     private",
        "198.18.0.1,      benchmarking",
        "224.0.0.1,       multicast",
        "239.255.255.250, multicast",
        "240.0.0.1,       reserved",
        "255.255.255.255, reserved",
    })
    void refusesHostsResolvingToNonPublicIpv4(String address, String kind) {
        assertThatThrownBy(() -> resolvingTo(address).checkResolved(URI.create("https://hooks.example.com/vigil")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("'hooks.example.com' resolves to " + address)
                .hasMessageContaining(kind)
                .hasMessageContaining("public addresses");
    }

    @ParameterizedTest
    @CsvSource({
        "::,                unspecified",
        "::1,               loopback",
        "::127.0.0.1,       IPv4-compatible",
        "::8.8.8.8,         IPv4-compatible",
        "fe80::1,           link-local",
        "febf:ffff::1,      link-local",
        "fc00::1,           unique-local",
        "fd12:3456:789a::1, unique-local",
        "fec0::1,           site-local",
        "ff02::1,           multicast",
        "64:ff9b::7f00:1,   loopback range 127.0.0.0/8 (as NAT64)",
        "64:ff9b::a9fe:a9fe, link-local range 169.254.0.0/16 (as NAT64)",
        "64:ff9b:1::1,      local-use NAT64",
        "2002:7f00:1::1,    loopback range 127.0.0.0/8 (as 6to4)",
        "2002:c0a8:101::1,  private range 192.168.0.0/16 (as 6to4)",
        "100::1,            discard-only",
        "2001:db8::1,       documentation",
    })
    void refusesHostsResolvingToNonPublicIpv6(String address, String kind) {
        assertThatThrownBy(() -> resolvingTo(address).checkResolved(URI.create("https://hooks.example.com/vigil")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining(kind);
    }

    @Test
    void refusesIpv4MappedIpv6FormsEvenWhenTheResolverKeepsThemAsIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        InetAddress v6 = Inet6Address.getByAddress("hooks.example.com", mapped, -1);
        assertThat(v6).isInstanceOf(Inet6Address.class); // the JDK would normally fold it into Inet4Address
        CallbackUrlPolicy policy = new CallbackUrlPolicy(false, fake(Map.of("hooks.example.com", List.of(v6))));

        assertThatThrownBy(() -> policy.checkResolved(URI.create("https://hooks.example.com/")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("private range 10.0.0.0/8 (as IPv4-mapped)");
        // The folded form, as InetAddress.getAllByName returns it, is refused as plain IPv4.
        assertThatThrownBy(() -> resolvingTo("::ffff:127.0.0.1").checkResolved(URI.create("https://hooks.example.com/")))
                .hasMessageContaining("loopback");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8",
    })
    void acceptsHostsResolvingToPublicAddresses(String address) throws Exception {
        assertThat(resolvingTo(address).checkResolved(URI.create("https://hooks.example.com/vigil")))
                .containsExactly(ip(address));
        assertThat(CallbackUrlPolicy.isPublicAddress(ip(address))).isTrue();
    }

    @Test
    void refusesAHostWithAnyPrivateAddressAmongPublicOnes() {
        assertThatThrownBy(() -> resolvingTo("93.184.216.34", "2606:2800:220:1::1", "10.0.0.7")
                .checkResolved(URI.create("https://hooks.example.com/")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("10.0.0.7");
    }

    @Test
    void returnsEveryAddressCheckedInResolverOrder() throws Exception {
        assertThat(resolvingTo("93.184.216.34", "2606:2800:220:1::1").checkResolved(URI.create("https://hooks.example.com/")))
                .containsExactly(ip("93.184.216.34"), ip("2606:2800:220:1::1"));
    }

    @Test
    void recheckingAtConnectTimeCatchesDnsRebinding() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(lookups.getAndIncrement() == 0 ? ip("93.184.216.34") : ip("127.0.0.1"));
        CallbackUrlPolicy policy = new CallbackUrlPolicy(false, rebinding);
        URI uri = policy.checkSyntax("https://rebind.example.com/hook");

        assertThat(policy.checkResolved(uri)).containsExactly(ip("93.184.216.34")); // at alert creation
        assertThatThrownBy(() -> policy.checkResolved(uri)) // at delivery
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void refusesUnresolvableHosts() {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(false, fake(Map.of("empty.example.com", List.of())));

        assertThatThrownBy(() -> policy.checkResolved(URI.create("https://nxdomain.example.com/")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("'nxdomain.example.com' cannot be resolved");
        assertThatThrownBy(() -> policy.checkResolved(URI.create("https://empty.example.com/")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("cannot be resolved");
    }

    // --- IP literal hosts -------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:8080/x,            loopback",
        "http://[::1]/,                      loopback",
        "http://[::]/,                       unspecified",
        "http://0.0.0.0/,                    'this network'",
        "http://169.254.169.254/latest/meta-data/, link-local",
        "http://[::ffff:127.0.0.1]/,         loopback",
        "http://[::ffff:7f00:1]/,            loopback",
        "http://[fd00::1]:9092/,             unique-local",
        "http://[0:0:0:0:0:0:0:1]/,          loopback",
    })
    void refusesPrivateIpLiteralsWithoutCallingTheResolver(String url, String kind) {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(false, MUST_NOT_RESOLVE);

        assertThatThrownBy(() -> policy.checkResolved(policy.checkSyntax(url)))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("callback_url address")
                .hasMessageContaining(kind);
    }

    @Test
    void acceptsPublicIpLiteralsWithoutCallingTheResolver() throws Exception {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(false, MUST_NOT_RESOLVE);

        assertThat(policy.checkResolved(URI.create("https://8.8.8.8/hook"))).containsExactly(ip("8.8.8.8"));
        assertThat(policy.checkResolved(URI.create("https://[2606:4700:4700::1111]:8443/hook")))
                .containsExactly(ip("2606:4700:4700::1111"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://2130706433/",        // 127.0.0.1 as one decimal number: InetAddress would accept it
        "http://0x7f000001/",        // as one hex number
        "http://0x7f.1/",            // hex and short form
        "http://127.1/",             // short form: InetAddress reads 127.0.0.1
        "http://0177.0.0.1/",        // octal to curl/libc (127.0.0.1), decimal 177.0.0.1 to InetAddress
        "http://127.000.000.001/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://10.0.0.1./",
        "http://hooks.example.123/", // a numeric last label makes URL parsers read an IPv4 address
        "http://hooks.example.0x1/",
    })
    void refusesObfuscatedOrAmbiguousNumericHostsAtSyntax(String url) {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(true, MUST_NOT_RESOLVE); // even when private is allowed

        String host = URI.create(url).getRawAuthority();
        assertThatThrownBy(() -> policy.checkSyntax(url))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("host '" + host + "'");
        assertThatThrownBy(() -> policy.checkResolved(URI.create(url))).isInstanceOf(CallbackUrlException.class);
    }

    @Test
    void refusesIpv6ZoneIds() {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(true, MUST_NOT_RESOLVE);

        assertThatThrownBy(() -> policy.checkSyntax("http://[fe80::1%25eth0]/"))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("zone id");
    }

    @Test
    void acceptsHostNamesWithDigitsThatAreNotNumeric() throws Exception {
        CallbackUrlPolicy policy = resolvingTo("93.184.216.34");

        assertThat(policy.checkSyntax("https://1e100.net/").getHost()).isEqualTo("1e100.net");
        assertThat(policy.checkSyntax("https://123.example.com/").getHost()).isEqualTo("123.example.com");
        assertThat(policy.checkSyntax("https://hooks.example.com./").getHost()).isEqualTo("hooks.example.com.");
    }

    // --- allowed mode -----------------------------------------------------------------------

    @Test
    void allowedModeAcceptsPrivateAndLoopbackDestinations() throws Exception {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(true, fake(Map.of("receiver", List.of(ip("10.1.2.3")))));

        assertThat(policy.allowsPrivateAddresses()).isTrue();
        assertThat(policy.checkResolved(policy.checkSyntax("http://receiver:8080/hook"))).containsExactly(ip("10.1.2.3"));
        assertThat(policy.checkResolved(policy.checkSyntax("http://127.0.0.1:8080/hook"))).containsExactly(ip("127.0.0.1"));
        assertThat(policy.checkResolved(policy.checkSyntax("http://[::1]:8080/hook"))).containsExactly(ip("::1"));
    }

    @Test
    void allowedModeStillChecksSyntaxAndResolvability() {
        CallbackUrlPolicy policy = new CallbackUrlPolicy(true, fake(Map.of()));

        assertThatThrownBy(() -> policy.checkResolved(URI.create("http://receiver/hook")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("cannot be resolved");
        assertThatThrownBy(() -> policy.checkSyntax("file:///etc/passwd")).isInstanceOf(CallbackUrlException.class);
        assertThatThrownBy(() -> policy.checkResolved(URI.create("gopher://127.0.0.1:6379/_FLUSHALL")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("scheme");
    }

    // --- syntax -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://hooks.example.com/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://hooks.example.com:70/_x",
        "data:text/plain,hi",
        "ws://hooks.example.com/",
        "jar:http://hooks.example.com/x.jar!/",
        "mailto:ops@example.com",
    })
    void refusesSchemesOtherThanHttpAndHttps(String url) {
        assertThatThrownBy(() -> policy().checkSyntax(url))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("scheme")
                .hasMessageContaining("use http or https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//hooks.example.com/x", "hooks.example.com/x", "/hook", "?x=1"})
    void refusesRelativeUrls(String url) {
        assertThatThrownBy(() -> policy().checkSyntax(url))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("absolute http or https URL");
    }

    @Test
    void acceptsHttpAndHttpsInAnyCase() throws Exception {
        assertThat(policy().checkSyntax("HTTPS://Hooks.Example.com/Path?q=1#frag").getHost()).isEqualTo("Hooks.Example.com");
        assertThat(policy().checkSyntax("http://hooks.example.com:8080/").getPort()).isEqualTo(8080);
        assertThat(policy().checkSyntax("http://hooks.example.com").getPath()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://user@hooks.example.com/",
        "http://user:pass@hooks.example.com/",
        "https://hooks.example.com@127.0.0.1/",
        "http://a@b@hooks.example.com/",
        "http://user@my_host/",
    })
    void refusesUserInfo(String url) {
        assertThatThrownBy(() -> policy().checkSyntax(url))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("user info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:///x", "http://", "https://:443/", "http:hooks.example.com", "http://my_host/", "http://exämple.com/",
        "http://-bad.example.com/", "http://hooks.example.com:99999999999999/"})
    void refusesMissingOrInvalidHosts(String url) {
        assertThatThrownBy(() -> policy().checkSyntax(url)).isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("callback_url");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536, 99999})
    void refusesPortsOutOfRange(int port) {
        assertThatThrownBy(() -> policy().checkSyntax("http://hooks.example.com:" + port + "/"))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("port " + port + " is out of range");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 443, 65535})
    void acceptsPortsInRange(int port) throws Exception {
        assertThat(policy().checkSyntax("http://hooks.example.com:" + port + "/").getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void refusesEmptyUrls(String url) {
        assertThatThrownBy(() -> policy().checkSyntax(url)).isInstanceOf(CallbackUrlException.class).hasMessageContaining("empty");
    }

    @Test
    void refusesUrlsLongerThan2048CharactersAndAcceptsExactly2048() throws Exception {
        String prefix = "https://hooks.example.com/";
        String exactly = prefix + "a".repeat(CallbackUrlPolicy.MAX_URL_LENGTH - prefix.length());

        assertThat(policy().checkSyntax(exactly).toString()).hasSize(2048);
        assertThatThrownBy(() -> policy().checkSyntax(exactly + "a"))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("longer than 2048");
    }

    @Test
    void refusesUnparsableUrlsWithoutEchoingThemWhole() {
        String url = "https://hooks.example.com/a b" + "x".repeat(1_000);

        assertThatThrownBy(() -> policy().checkSyntax(url))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("not a valid URL")
                .hasMessageContaining("index 27")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void quotesAtMostAShortPieceOfTheInput() {
        String host = "h" + "x".repeat(500) + ".123";

        assertThatThrownBy(() -> policy().checkSyntax("http://" + host + "/"))
                .isInstanceOf(CallbackUrlException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void checkResolvedAppliesTheSyntaxRulesToo() {
        assertThatThrownBy(() -> resolvingTo("93.184.216.34").checkResolved(URI.create("ftp://hooks.example.com/")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> resolvingTo("93.184.216.34").checkResolved(URI.create("https://u@hooks.example.com/")))
                .isInstanceOf(CallbackUrlException.class)
                .hasMessageContaining("user info");
    }

    @Test
    void systemResolverParsesLiteralsWithoutDns() throws Exception {
        assertThat(HostResolver.system().resolve("127.0.0.1")).containsExactly(ip("127.0.0.1"));
        assertThatThrownBy(() -> new CallbackUrlPolicy(false).checkResolved(URI.create("http://127.0.0.1/")))
                .isInstanceOf(CallbackUrlException.class);
    }

    @Test
    void isPublicAddressClassifiesWithoutTheNetwork() {
        assertThat(Arrays.asList("10.0.0.1", "::1", "fe80::1", "169.254.169.254", "100.64.0.1"))
                .noneMatch(a -> CallbackUrlPolicy.isPublicAddress(ip(a)));
        assertThat(Arrays.asList("93.184.216.34", "2606:4700:4700::1111"))
                .allMatch(a -> CallbackUrlPolicy.isPublicAddress(ip(a)));
    }

    private static CallbackUrlPolicy policy() {
        return new CallbackUrlPolicy(false, MUST_NOT_RESOLVE);
    }

    /** Parses an IP literal; InetAddress never does DNS for literals. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
