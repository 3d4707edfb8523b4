package dev.vigil.common.kafka;

import dev.vigil.common.config.CommonConfig;
import dev.vigil.schemas.TopicDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Vigil's topics with the settings of the catalogue and the configuration. Idempotent: topics
 * that exist are left as they are (a second run, or a concurrent run by another instance, is a no-op)
 * and only a mismatch in partitions or cleanup policy is reported, never "fixed" — adding partitions
 * would move keys, and changing a policy could delete control state.
 */
public final class TopicBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEADER_POLL = Duration.ofMillis(20);

    private final Admin admin;
    private final CommonConfig config;

    public TopicBootstrap(Admin admin, CommonConfig config) {
        this.admin = admin;
        this.config = config;
    }

    /** What a bootstrap run did. */
    public record Result(List<String> created, List<String> existing, List<String> warnings) {
    }

    /** The topic to create for {@code def} under this configuration. */
    public NewTopic plan(TopicDef<?, ?> def) {
        int partitions = config.topicPartitions().orElse(def.partitions());
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, def.cleanupPolicy().configValue());
        def.retention().ifPresent(dflt -> {
            Duration retention = config.retentionOverrides().getOrDefault(def.group(), dflt);
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        });
        if (config.topicReplicationFactor() > 1) {
            // Acks=all writes survive one broker loss without blocking on a single replica.
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return new NewTopic(def.name(config.topicPrefix()), partitions, config.topicReplicationFactor()).configs(configs);
    }

    /** Creates every missing topic of {@code defs}; waits for the broker's answer. */
    public Result ensure(Collection<? extends TopicDef<?, ?>> defs) {
        try {
            Set<String> present = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (TopicDef<?, ?> def : defs) {
                NewTopic topic = plan(def);
                if (present.contains(topic.name())) {
                    existing.add(topic.name());
                } else {
                    missing.add(topic);
                }
            }
            List<String> created = create(missing, existing);
            awaitLeaders(created);
            List<String> warnings = checkExisting(defs, existing);
            log.info("Topic bootstrap: {} created, {} already present", created.size(), existing.size());
            return new Result(List.copyOf(created), List.copyOf(existing), warnings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Vigil topics on " + config.kafkaBootstrapServers()
                    + ": " + e.getMessage(), e);
        }
    }

    private List<String> create(List<NewTopic> missing, List<String> existing)
            throws InterruptedException, TimeoutException, ExecutionException {
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        CreateTopicsResult result = admin.createTopics(missing);
        for (NewTopic topic : missing) {
            try {
                result.values().get(topic.name()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
                log.debug("Created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Another instance created it between our listing and our request.
                existing.add(topic.name());
            }
        }
        return created;
    }

    /**
     * Returns once every partition of {@code topics} has a leader. The controller acknowledges a
     * creation before the brokers serve it; a producer that writes in that gap gets retriable errors
     * and, with several requests in flight, an idempotent producer can even fail with an out-of-order
     * sequence (seen on fresh topics of the embedded broker).
     */
    private void awaitLeaders(List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> waiting = topics;
        while (!waiting.isEmpty()) {
            Map<String, TopicDescription> described;
            try {
                described = admin.describeTopics(waiting).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                described = Map.of(); // not yet in this broker's metadata
            }
            Map<String, TopicDescription> known = described;
            waiting = waiting.stream()
                    .filter(t -> !known.containsKey(t) || known.get(t).partitions().stream().anyMatch(p -> p.leader() == null))
                    .toList();
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no leader after " + TIMEOUT + " for partitions of " + waiting);
            }
            Thread.sleep(LEADER_POLL.toMillis());
        }
    }

    private List<String> checkExisting(Collection<? extends TopicDef<?, ?>> defs, List<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (existing.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(existing).allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> warnings = new ArrayList<>();
        for (TopicDef<?, ?> def : defs) {
            NewTopic wanted = plan(def);
            TopicDescription actual = descriptions.get(wanted.name());
            if (actual != null && actual.partitions().size() != wanted.numPartitions()) {
                String warning = "topic " + wanted.name() + " has " + actual.partitions().size()
                        + " partitions, configuration asks for " + wanted.numPartitions() + "; left unchanged";
                log.warn("{}", warning);
                warnings.add(warning);
            }
        }
        return List.copyOf(warnings);
    }
}
