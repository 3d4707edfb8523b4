package dev.vigil.ws.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ws.feed.Channel;
import dev.vigil.ws.feed.Delivery;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    private static Delivery delivery(Channel channel, String stream, String index, List<String> labels) {
        return new Delivery(channel, "c1", stream, index, labels, List.of(), "{}", 0);
    }

    private static final Delivery SCENE = delivery(Channel.SCENE_INDEX, "s1", "i1", List.of("person", "motion"));
    private static final Delivery TRANSCRIPT = delivery(Channel.TRANSCRIPT, "s1", "i2", List.of());
    private static final Delivery ALERT = delivery(Channel.ALERT, "s2", "i1", List.of("intrusion"));

    @Test
    void emptyFieldsMatchAnything() {
        Subscription all = Subscription.everything();
        assertThat(List.of(SCENE, TRANSCRIPT, ALERT)).allMatch(all::matches);
    }

    @Test
    void everyGivenFieldMustMatch() {
        Subscription sceneOfS1 = new Subscription(Set.of(Channel.SCENE_INDEX), Set.of("s1"), Set.of(), Set.of());
        assertThat(sceneOfS1.matches(SCENE)).isTrue();
        assertThat(sceneOfS1.matches(TRANSCRIPT)).isFalse();
        assertThat(sceneOfS1.matches(ALERT)).isFalse();
        Subscription indexI1 = new Subscription(Set.of(), Set.of(), Set.of("i1"), Set.of());
        assertThat(indexI1.matches(SCENE)).isTrue();
        assertThat(indexI1.matches(ALERT)).isTrue();
        assertThat(indexI1.matches(TRANSCRIPT)).isFalse();
    }

    @Test
    void labelsMatchAnyLabelAndNeverAnUnlabelledDelivery() {
        Subscription people = new Subscription(Set.of(), Set.of(), Set.of(), Set.of("person", "intrusion"));
        assertThat(people.matches(SCENE)).isTrue();
        assertThat(people.matches(ALERT)).isTrue();
        assertThat(people.matches(TRANSCRIPT)).isFalse();
        assertThat(new Subscription(Set.of(), Set.of(), Set.of(), Set.of("dark")).matches(SCENE)).isFalse();
    }

    @Test
    void anUnsubscribeFilterSelectsSubscriptionsWithEqualGivenFields() {
        Subscription sub = new Subscription(Set.of(Channel.SCENE_INDEX, Channel.ALERT), Set.of("s1"), Set.of(), Set.of());
        assertThat(sub.selectedBy(Subscription.everything())).isTrue();
        assertThat(sub.selectedBy(new Subscription(Set.of(), Set.of("s1"), Set.of(), Set.of()))).isTrue();
        assertThat(sub.selectedBy(new Subscription(Set.of(Channel.ALERT, Channel.SCENE_INDEX), Set.of(), Set.of(), Set.of())))
                .isTrue();
        assertThat(sub.selectedBy(new Subscription(Set.of(Channel.ALERT), Set.of(), Set.of(), Set.of()))).isFalse();
        assertThat(sub.selectedBy(new Subscription(Set.of(), Set.of("s1", "s2"), Set.of(), Set.of()))).isFalse();
        assertThat(sub.selectedBy(new Subscription(Set.of(), Set.of(), Set.of(), Set.of("person")))).isFalse();
    }

    @Test
    void rendersTheFilterSorted() {
        Subscription sub = new Subscription(Set.of(Channel.ALERT, Channel.TRANSCRIPT), Set.of("b", "a"), Set.of(), Set.of("x"));
        assertThat(sub.toJson().encode()).isEqualTo(
                "{\"channels\":[\"transcript\",\"alert\"],\"rtstream_ids\":[\"a\",\"b\"],\"index_ids\":[],\"labels\":[\"x\"]}");
    }
}
