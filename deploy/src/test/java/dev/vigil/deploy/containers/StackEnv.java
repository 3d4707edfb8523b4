package dev.vigil.deploy.containers;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code VIGIL_*} environment every service of a test deployment shares, as the chart's ConfigMaps
 * and Secret give it: the brokers, topics created beforehand by {@code vigil topics} (so the services
 * need no CreateTopics), the secrets control-api shares with ws-gateway and webhook-dispatcher, and the
 * Streams state where the image keeps it.
 */
public final class StackEnv {

    /** The API key of collection {@code default}. */
    public static final String API_KEY = "vigil_test_key_0123456789abcdef";

    private StackEnv() {
    }

    public static Map<String, String> of(String bootstrapServers, int partitions, int replicationFactor) {
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("VIGIL_TOPIC_BOOTSTRAP", "false");
        env.put("VIGIL_TOPIC_PARTITIONS", Integer.toString(partitions));
        env.put("VIGIL_TOPIC_REPLICATION_FACTOR", Integer.toString(replicationFactor));
        env.put("VIGIL_API_KEYS", API_KEY + "=default");
        env.put("VIGIL_WS_TICKET_SECRET", "test-ticket-secret-0123456789abcdefghijklmnop");
        env.put("VIGIL_SECRETS_KEYS", "k1=test-secrets-key-0123456789abcdefghijklmnop");
        env.put("VIGIL_INDEXER_STATE_DIR", "/var/lib/vigil/state");
        env.put("VIGIL_ALERT_ROUTER_STATE_DIR", "/var/lib/vigil/state");
        return env;
    }
}
