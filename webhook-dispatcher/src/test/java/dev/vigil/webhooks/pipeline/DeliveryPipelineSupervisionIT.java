package dev.vigil.webhooks.pipeline;

import static dev.vigil.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.alerts.AlertNotification;
import dev.vigil.schemas.alerts.Channel;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import dev.vigil.webhooks.delivery.Job;
import dev.vigil.webhooks.metrics.DispatcherMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline's loop under supervision, on the real broker: a failure restarts it, nothing is lost. */
@ExtendWith(EmbeddedKafkaExtension.class)
class DeliveryPipelineSupervisionIT {

    @Test
    void aFailedLoopRestartsAndHandsTheUnsettledNotificationAgain(TestKafka kafka) throws Exception {
        String prefix = kafka.uniquePrefix();
        kafka.createTopics(prefix, Topics.ALL, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> handed = new CopyOnWriteArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        DeliveryPipeline pipeline = new DeliveryPipeline(kafka.consumerConfig("ignored"), kafka.producerConfig(), prefix,
                jobs -> {
                    if (batches.incrementAndGet() == 1) {
                        throw new IllegalStateException("injected failure handing jobs to the dispatcher");
                    }
                    jobs.stream().map(Job::notification).map(AlertNotification::getId).forEach(handed::add);
                }, new DispatcherMetrics(registry), 100);
        pipeline.bindTo(registry);
        try {
            pipeline.start();

            kafka.send(prefix, Topics.ALERTS_FIRED, "alert-1", notification("ntf-1"));

            await().until(() -> handed.contains("ntf-1"));
            assertThat(batches).as("the failed hand-off, then the same notification again after the restart").hasValue(2);
            assertThat(registry.get("vigil.loop.failures").tag("loop", "webhook-pipeline").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("vigil.loop.restarts").tag("loop", "webhook-pipeline").functionCounter().count()).isEqualTo(1);
            assertThat(pipeline.isAlive()).isTrue();
            await().until(pipeline::isRunning);
        } finally {
            pipeline.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vigil-webhooks-pipeline"));
    }

    private static AlertNotification notification(String id) {
        Instant now = Instant.now();
        return AlertNotification.newBuilder()
                .setId(id).setCollectionId("c-1").setAlertId("alert-1").setEventId("e-1").setLabel("intrusion")
                .setRtstreamId("rts-1").setIndexId("idx-1").setChannel(Channel.TRANSCRIPT).setText("someone at the door")
                .setStart(now).setEnd(now).setTimestamp(now).setRecordEmitTs(now)
                .setCallbackUrl("https://example.com/hook").build();
    }
}
