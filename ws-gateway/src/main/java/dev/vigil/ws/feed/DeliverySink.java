package dev.vigil.ws.feed;

import java.util.List;

/** Where the feed hands its deliveries: the connections of this gateway instance. */
public interface DeliverySink {

    /** Whether no connection could want anything; the feed then skips decoding. */
    boolean isEmpty();

    /**
     * Hands one poll's deliveries over, in record order. Called on the feed thread; must not block
     * (the feed is shared by every connection).
     */
    void dispatch(List<Delivery> batch);
}
