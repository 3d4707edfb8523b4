package dev.vigil.webhooks.delivery;

import java.util.HashMap;
import java.util.Map;

/**
 * How many notifications each collection (tenant) has queued or in flight in the dispatcher, with a
 * cap: a tenant at its cap gets its further notifications deferred to the retry tiers instead of
 * queued, so however many endpoints one tenant has, and however slow they are, it holds at most
 * {@code cap} of the dispatcher's slots and of the pipeline's pending records, and the other tenants'
 * webhooks keep flowing. Confined to the dispatcher's event loop; not thread-safe.
 */
final class TenantLoad {

    private final int cap;
    private final Map<String, Integer> held = new HashMap<>();

    TenantLoad(int cap) {
        this.cap = cap;
    }

    /** Takes a slot for {@code collectionId}; false (nothing taken) when the tenant is at its cap. */
    boolean tryAcquire(String collectionId) {
        int now = held.getOrDefault(collectionId, 0);
        if (now >= cap) {
            return false;
        }
        held.put(collectionId, now + 1);
        return true;
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    void release(String collectionId) {
        held.computeIfPresent(collectionId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Slots {@code collectionId} holds now. */
    int held(String collectionId) {
        return held.getOrDefault(collectionId, 0);
    }
}
