package dev.vigil.ws.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.ws.WsGatewayConfig;
import dev.vigil.ws.feed.Channel;
import dev.vigil.ws.session.SubscriberIndex.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriberIndexTest {

    private static final WsGatewayConfig CONFIG = WsGatewayConfig.from(ConfigValues.read(Map.of(), WsGatewayConfig.SETTINGS));

    private static Connection connection(String id, String tenant) {
        return new Connection(id, tenant, null, null, () -> { }, null, null, CONFIG, null);
    }

    private static Subscription streams(String... ids) {
        return new Subscription(Set.of(), Set.of(ids), Set.of(), Set.of());
    }

    private static List<String> candidates(SubscriberIndex index, String tenant, String stream) {
        List<String> ids = new ArrayList<>();
        index.forEachCandidate(tenant, stream, c -> ids.add(c.id()));
        return ids;
    }

    @Test
    void keysAreTheStreamsUnlessAnySubscriptionTakesEveryStream() {
        assertThat(Keys.of(List.of())).isEqualTo(Keys.NONE);
        assertThat(Keys.of(List.of(streams("s1"), streams("s2", "s3")))).isEqualTo(new Keys(false, Set.of("s1", "s2", "s3")));
        Subscription alerts = new Subscription(Set.of(Channel.ALERT), Set.of(), Set.of(), Set.of());
        assertThat(Keys.of(List.of(streams("s1"), alerts))).isEqualTo(new Keys(true, Set.of()));
    }

    @Test
    void candidatesAreTheTenantsWildcardsAndTheStreamsSubscribersEachOnce() {
        SubscriberIndex index = new SubscriberIndex();
        Connection wildcard = connection("a", "t1");
        Connection s1 = connection("b", "t1");
        Connection both = connection("c", "t1");
        Connection otherTenant = connection("d", "t2");
        index.update(wildcard, Keys.NONE, new Keys(true, Set.of()));
        index.update(s1, Keys.NONE, new Keys(false, Set.of("s1")));
        index.update(both, Keys.NONE, new Keys(false, Set.of("s1")));
        index.update(both, new Keys(false, Set.of("s1")), new Keys(true, Set.of()));
        index.update(otherTenant, Keys.NONE, new Keys(true, Set.of()));

        assertThat(candidates(index, "t1", "s1")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(candidates(index, "t1", "s2")).containsExactlyInAnyOrder("a", "c");
        assertThat(candidates(index, "t2", "s1")).containsExactly("d");
        assertThat(candidates(index, "t3", "s1")).isEmpty();
    }

    @Test
    void removingTheLastKeysForgetsTheConnection() {
        SubscriberIndex index = new SubscriberIndex();
        Connection c = connection("a", "t1");
        Keys keys = new Keys(false, Set.of("s1", "s2"));
        index.update(c, Keys.NONE, keys);
        index.update(c, keys, new Keys(false, Set.of("s2")));
        assertThat(candidates(index, "t1", "s1")).isEmpty();
        assertThat(candidates(index, "t1", "s2")).containsExactly("a");
        index.update(c, new Keys(false, Set.of("s2")), Keys.NONE);
        assertThat(candidates(index, "t1", "s2")).isEmpty();
    }
}
