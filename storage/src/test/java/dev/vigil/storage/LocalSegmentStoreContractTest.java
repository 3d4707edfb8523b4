package dev.vigil.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.storage.LocalSegmentStore;
import dev.vigil.common.storage.SegmentStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The segment store contract on the local directory backend, opened through {@link SegmentStores}. */
class LocalSegmentStoreContractTest extends SegmentStoreContract {

    @Override
    SegmentStore store() {
        return SegmentStores.open(StorageConfig.local(tmp.resolve("store")));
    }

    @Test
    void opensALocalStoreAndSignsNothing() throws Exception {
        SegmentStore store = store();
        assertThat(store).isInstanceOf(LocalSegmentStore.class);
        assertThat(store.presignedGet("col-1/rts-1/a.ts", Duration.ofMinutes(5))).isEmpty();
    }
}
