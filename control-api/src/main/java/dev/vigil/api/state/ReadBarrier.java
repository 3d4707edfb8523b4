package dev.vigil.api.state;

import dev.vigil.common.lifecycle.Service;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes reads linearizable across instances: before answering a GET, fetch the control topics'
 * current end offsets and wait until this instance's view has applied them. A write acknowledged by
 * any instance before the GET arrived is then visible. Costs one ListOffsets round trip per read.
 */
public final class ReadBarrier implements Service {

    private final Map<String, Object> adminConfig;
    private final ControlView view;
    private final Duration timeout;
    private Admin admin;

    public ReadBarrier(Map<String, Object> adminConfig, ControlView view, Duration timeout) {
        this.adminConfig = adminConfig;
        this.view = view;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "read-barrier";
    }

    @Override
    public void start() {
        admin = Admin.create(adminConfig);
    }

    /** Completes when the view holds every write acknowledged before this call. */
    public CompletableFuture<Void> sync() {
        CompletableFuture<Void> next = new CompletableFuture<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        view.partitions().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(latest);
        result.all().whenComplete((offsets, error) -> {
            if (error != null) {
                next.completeExceptionally(error);
                return;
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            offsets.forEach((tp, info) -> ends.put(tp, info.offset()));
            view.awaitPositions(ends).whenComplete((v, e) -> {
                if (e != null) {
                    next.completeExceptionally(e);
                } else {
                    next.complete(null);
                }
            });
        });
        return next.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isReady() {
        return admin != null;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
