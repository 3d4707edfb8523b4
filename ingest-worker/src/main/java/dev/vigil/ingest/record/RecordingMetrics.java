package dev.vigil.ingest.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The worker's recording meters (one set per worker, not per stream):
 * <ul>
 *   <li>{@code vigil_recording_segments_stored_total}, {@code vigil_recording_bytes_stored_total}</li>
 *   <li>{@code vigil_recording_store_failures_total}: failed store calls (each retried)</li>
 *   <li>{@code vigil_recording_segments_dropped_total}: segments given up (the store was unavailable past the
 *       pending bound, or the worker stopped before storing them)</li>
 *   <li>{@code vigil_recording_segments_deleted_total}: deleted by retention or with their stream</li>
 *   <li>{@code vigil_recording_pending_bytes}: segments waiting for the store</li>
 * </ul>
 */
final class RecordingMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    final Counter stored;
    final Counter bytesStored;
    final Counter storeFailures;
    final Counter dropped;
    final Counter deleted;

    RecordingMetrics(MeterRegistry registry, LongSupplier pendingBytes) {
        this.registry = registry;
        stored = add(Counter.builder("vigil.recording.segments.stored").description("Segments stored and indexed").register(registry));
        bytesStored = add(Counter.builder("vigil.recording.bytes.stored").description("Bytes of segments stored").register(registry));
        storeFailures = add(Counter.builder("vigil.recording.store.failures").description("Failed segment store calls (retried)")
                .register(registry));
        dropped = add(Counter.builder("vigil.recording.segments.dropped")
                .description("Segments given up before they were stored").register(registry));
        deleted = add(Counter.builder("vigil.recording.segments.deleted")
                .description("Segments deleted by retention or with their stream").register(registry));
        add(Gauge.builder("vigil.recording.pending.bytes", pendingBytes, s -> s.getAsLong())
                .description("Bytes of segments waiting for the store").register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
