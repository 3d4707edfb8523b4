package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alerts.AlertRouterConfig;
import dev.vigil.api.ControlApiConfig;
import dev.vigil.common.config.CommonConfig;
import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.secrets.SecretKeys;
import dev.vigil.common.kafka.TopicBootstrap;
import dev.vigil.indexer.IndexerConfig;
import dev.vigil.ingest.IngestWorkerConfig;
import dev.vigil.schemas.TopicDef;
import dev.vigil.schemas.Topics;
import dev.vigil.webhooks.WebhookDispatcherConfig;
import dev.vigil.ws.WsGatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Helm chart {@code deploy/helm/vigil}: lints with helm, renders with the default values and
 * {@code ci/production-values.yaml}, and the rendered objects are checked per service (probes, the
 * environment — fed through each service's own config validation —, secrets, resources, the
 * restricted security context, volumes), for the topic Job and Strimzi topics (against the topic
 * catalogue and the topic bootstrap's plan), and parsed by kubectl against a discovery-only API stub.
 */
class HelmChartTest {

    /** The value sets CI renders. */
    enum ValueSet {
        DEFAULT(List.of()),
        PRODUCTION(List.of("ci/production-values.yaml"));

        final List<String> files;

        ValueSet(List<String> files) {
            this.files = files;
        }
    }

    /** Each service: its settings as declared by its config class, and its key in values.yaml. */
    record ServiceDef(String name, String valuesKey, List<Setting<?>> settings, Consumer<ConfigValues> build) {
    }

    static final List<ServiceDef> SERVICES = List.of(
            new ServiceDef("control-api", "controlApi", ControlApiConfig.allSettings(), ControlApiConfig::from),
            new ServiceDef("ingest-worker", "ingestWorker", IngestWorkerConfig.allSettings(), IngestWorkerConfig::from),
            new ServiceDef("indexer-streams", "indexerStreams", IndexerConfig.allSettings(), IndexerConfig::from),
            new ServiceDef("alert-router", "alertRouter", AlertRouterConfig.allSettings(), AlertRouterConfig::from),
            new ServiceDef("ws-gateway", "wsGateway", WsGatewayConfig.allSettings(), v -> {
                WsGatewayConfig.from(v);
                WsGatewayConfig.ticketSecret(v);
            }),
            new ServiceDef("webhook-dispatcher", "webhookDispatcher", WebhookDispatcherConfig.allSettings(),
                    WebhookDispatcherConfig::from));

    private static final String PREFIX = "vigil-";
    private static final Map<ValueSet, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static KubeApiStub api;

    @BeforeAll
    static void startApiStub() {
        api = KubeApiStub.start();
    }

    @AfterAll
    static void stopApiStub() {
        api.close();
    }

    static Manifests rendered(ValueSet set) {
        return RENDERED.computeIfAbsent(set, s -> Manifests.parse(Tools.template(s.files, List.of())));
    }

    /** values.yaml, merged with the set's files as helm merges them (maps deep, everything else replaced). */
    static JsonNode values(ValueSet set) throws IOException {
        JsonNode merged = Manifests.YAML.readTree(Tools.chart().resolve("values.yaml").toFile());
        for (String file : set.files) {
            merge((ObjectNode) merged, Manifests.YAML.readTree(Tools.chart().resolve(file).toFile()));
        }
        return merged;
    }

    private static void merge(ObjectNode target, JsonNode overrides) {
        overrides.properties().forEach(e -> {
            JsonNode current = target.get(e.getKey());
            if (current instanceof ObjectNode obj && e.getValue().isObject()) {
                merge(obj, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void lintPasses(ValueSet set) {
        List<String> cmd = new ArrayList<>(List.of(Tools.helm().toString(), "lint", "--strict", Tools.chart().toString()));
        set.files.forEach(f -> cmd.addAll(List.of("-f", Tools.chart().resolve(f).toString())));
        Tools.Result lint = Tools.run(cmd, Map.of()).orFail("helm lint");
        assertThat(lint.stdout()).contains("0 chart(s) failed");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyServiceRunsFromTheOneImageChosenByItsArguments(ValueSet set) throws IOException {
        Manifests m = rendered(set);
        JsonNode values = values(set);
        String image = values.at("/image/repository").asText() + ":"
                + (values.at("/image/tag").asText().isEmpty() ? "0.1.0" : values.at("/image/tag").asText());
        assertThat(m.ofKind("Deployment")).hasSize(SERVICES.size());
        for (ServiceDef svc : SERVICES) {
            JsonNode container = container(m.get("Deployment", PREFIX + svc.name()));
            assertThat(container.path("image").asText()).as(svc.name()).isEqualTo(image);
            assertThat(container.path("args")).as(svc.name()).containsExactly(text("service"), text(svc.name()));
            assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(values.path("httpPort").asInt());
            assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
            assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(values.path("opsPort").asInt());
            assertThat(container.at("/ports/1/name").asText()).isEqualTo("ops");
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void probesUseHealthyForLivenessAndReadyForReadiness(ValueSet set) {
        for (ServiceDef svc : SERVICES) {
            JsonNode container = container(rendered(set).get("Deployment", PREFIX + svc.name()));
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(svc.name()).isEqualTo("/healthy");
            assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("ops");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(svc.name()).isEqualTo("/ready");
            assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("ops");
            // The ops endpoint answers only once the service has started (Streams RUNNING): the startup
            // probe must allow longer than the slowest start timeout (alert-router: 120 s).
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthy");
            assertThat(container.at("/startupProbe/periodSeconds").asInt()
                    * container.at("/startupProbe/failureThreshold").asInt()).isGreaterThan(120);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void environmentPassesEachServicesOwnConfigValidation(ValueSet set) {
        Manifests m = rendered(set);
        for (ServiceDef svc : SERVICES) {
            Map<String, String> env = environment(m, set, svc.name());
            ConfigValues values = ConfigValues.read(env, svc.settings());
            CommonConfig common = CommonConfig.from(values, env);
            svc.build().accept(values);
            assertThat(values.unknownKeys()).as("%s: VIGIL_* keys its config does not declare (typos?)", svc.name())
                    .allMatch(k -> k.startsWith(CommonConfig.KAFKA_CLIENT_PREFIX));
            assertThat(env).as(svc.name()).containsKeys("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "VIGIL_TOPIC_PREFIX",
                    "VIGIL_HTTP_PORT", "VIGIL_OPS_PORT", "VIGIL_INSTANCE_ID", "VIGIL_TOPIC_BOOTSTRAP", "JDK_JAVA_OPTIONS");
            assertThat(common.topicBootstrap()).as("the topic Job creates the topics, not %s", svc.name()).isFalse();
            assertThat(common.httpPort()).isEqualTo(8080);
            if (set == ValueSet.PRODUCTION) {
                assertThat(common.kafkaClientProperties()).as(svc.name()).containsEntry("security.protocol", "SASL_SSL")
                        .containsKey("sasl.jaas.config");
                assertThat(common.topicReplicationFactor()).isEqualTo((short) 3);
                assertThat(common.topicPartitions()).contains(24);
            }
        }
    }

    @Test
    void streamsServicesKeepTheirStateOnAnEmptyDir() {
        Manifests m = rendered(ValueSet.DEFAULT);
        Map<String, String> stateVars = Map.of("indexer-streams", "VIGIL_INDEXER_STATE_DIR", "alert-router",
                "VIGIL_ALERT_ROUTER_STATE_DIR");
        stateVars.forEach((name, var) -> {
            JsonNode deployment = m.get("Deployment", PREFIX + name);
            assertThat(environment(m, ValueSet.DEFAULT, name)).containsEntry(var, "/var/lib/vigil/state");
            assertThat(mountsOf(container(deployment))).containsEntry("state", "/var/lib/vigil/state");
            assertThat(volume(deployment, "state").has("emptyDir")).isTrue();
        });
        assertThat(mountsOf(container(m.get("Deployment", PREFIX + "control-api")))).doesNotContainKey("state");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void secretsReachOnlyTheServicesThatUseThem(ValueSet set) {
        Manifests m = rendered(set);
        String secret = set == ValueSet.PRODUCTION ? "vigil-secrets" : "vigil";
        Map<String, Set<String>> expected = Map.of(
                "control-api", Set.of("VIGIL_API_KEYS", "VIGIL_WS_TICKET_SECRET", "VIGIL_SECRETS_KEYS"),
                "webhook-dispatcher", Set.of("VIGIL_SECRETS_KEYS"),
                "ws-gateway", Set.of("VIGIL_WS_TICKET_SECRET"),
                "indexer-streams", Set.of("VIGIL_MODEL_API_KEY"),
                "alert-router", Set.of("VIGIL_MODEL_API_KEY", "VIGIL_SECRETS_KEYS"));
        Set<String> kafka = set == ValueSet.PRODUCTION
                ? Set.of("VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG", "VIGIL_KAFKA_CLIENT_SSL_TRUSTSTORE_CERTIFICATES") : Set.of();
        for (ServiceDef svc : SERVICES) {
            Map<String, String> refs = new TreeMap<>();
            container(m.get("Deployment", PREFIX + svc.name())).path("env").forEach(e -> {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(ref.path("name").asText()).isEqualTo(secret);
                    refs.put(e.path("name").asText(), ref.path("key").asText());
                }
            });
            Set<String> wanted = new TreeSet<>(expected.getOrDefault(svc.name(), Set.of()));
            wanted.addAll(kafka);
            assertThat(refs.keySet()).as(svc.name()).isEqualTo(wanted);
            refs.forEach((env, key) -> assertThat(key).isEqualTo(env));
        }
        if (set == ValueSet.DEFAULT) {
            JsonNode data = m.get("Secret", "vigil").path("data");
            assertThat(decode(data.path("VIGIL_API_KEYS").asText())).startsWith("vigil_").hasSizeGreaterThanOrEqualTo(16);
            assertThat(decode(data.path("VIGIL_WS_TICKET_SECRET").asText())).hasSizeGreaterThanOrEqualTo(32);
            assertThat(SecretKeys.of(List.of(decode(data.path("VIGIL_SECRETS_KEYS").asText()))).ids()).containsExactly("chart");
        } else {
            assertThat(m.ofKind("Secret")).as("an existing Secret is used").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void resourcesComeFromTheValues(ValueSet set) throws IOException {
        JsonNode values = values(set);
        for (ServiceDef svc : SERVICES) {
            JsonNode resources = container(rendered(set).get("Deployment", PREFIX + svc.name())).path("resources");
            JsonNode wanted = values.path(svc.valuesKey()).path("resources");
            assertThat(resources).as(svc.name()).isEqualTo(wanted);
            for (String path : List.of("/requests/cpu", "/requests/memory", "/limits/memory")) {
                assertThat(resources.at(path).asText()).as("%s %s", svc.name(), path).isNotEmpty();
            }
        }
        assertThat(values.at("/indexerStreams/resources/requests/memory").asText())
                .as("the indexer gets more memory than control-api by default")
                .isNotEqualTo(values.at("/controlApi/resources/requests/memory").asText());
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void podsMeetTheRestrictedPodSecurityStandard(ValueSet set) {
        List<JsonNode> pods = new ArrayList<>();
        rendered(set).ofKind("Deployment").forEach(d -> pods.add(d.at("/spec/template/spec")));
        rendered(set).ofKind("Job").forEach(j -> pods.add(j.at("/spec/template/spec")));
        assertThat(pods).hasSizeGreaterThanOrEqualTo(SERVICES.size());
        for (JsonNode pod : pods) {
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            assertThat(pod.path("enableServiceLinks").asBoolean(true)).as("no VIGIL_*_PORT service-link variables").isFalse();
            JsonNode container = pod.at("/containers/0");
            JsonNode sc = container.path("securityContext");
            assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(sc.at("/capabilities/drop")).containsExactly(text("ALL"));
            assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            // With a read-only root, the JVM's scratch space and the JavaCPP natives need volumes.
            assertThat(mountsOf(container)).containsEntry("tmp", "/tmp")
                    .containsEntry("native-cache", "/var/cache/vigil/javacpp");
            for (JsonNode v : pod.path("volumes")) {
                assertThat(v.has("emptyDir")).as("volume %s", v.path("name").asText()).isTrue();
                assertThat(v.at("/emptyDir/sizeLimit").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void podsCarryPrometheusScrapeAnnotationsAndConfigChecksums() {
        for (ServiceDef svc : SERVICES) {
            JsonNode annotations = rendered(ValueSet.DEFAULT).get("Deployment", PREFIX + svc.name())
                    .at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            // Metrics are on the ops port, which no Service or Ingress exposes.
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo("9090");
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
            assertThat(annotations.path("checksum/config").asText()).matches("[0-9a-f]{64}");
        }
        JsonNode api = rendered(ValueSet.DEFAULT).get("Deployment", PREFIX + "control-api");
        assertThat(api.at("/spec/template/metadata/annotations/checksum~1secret").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void settingsChangesRollOnlyTheServiceTheyBelongTo() {
        Manifests changed = Manifests.parse(Tools.template(List.of(), List.of("wsGateway.config.VIGIL_WS_MAX_CONNECTIONS=5")));
        for (ServiceDef svc : SERVICES) {
            String before = checksum(rendered(ValueSet.DEFAULT), svc.name());
            String after = checksum(changed, svc.name());
            if (svc.name().equals("ws-gateway")) {
                assertThat(after).as(svc.name()).isNotEqualTo(before);
            } else {
                assertThat(after).as(svc.name()).isEqualTo(before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyServiceHasADisruptionBudgetAndHpaReplacesReplicas(ValueSet set) throws IOException {
        Manifests m = rendered(set);
        JsonNode values = values(set);
        for (ServiceDef svc : SERVICES) {
            JsonNode deployment = m.get("Deployment", PREFIX + svc.name());
            JsonNode pdb = m.get("PodDisruptionBudget", PREFIX + svc.name());
            assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
            boolean hpa = values.path(svc.valuesKey()).at("/autoscaling/enabled").asBoolean();
            assertThat(m.find("HorizontalPodAutoscaler", PREFIX + svc.name()).isPresent()).as(svc.name()).isEqualTo(hpa);
            if (hpa) {
                assertThat(deployment.at("/spec/replicas").isMissingNode()).as("HPA owns the replicas").isTrue();
                assertThat(m.get("HorizontalPodAutoscaler", PREFIX + svc.name()).at("/spec/scaleTargetRef/name").asText())
                        .isEqualTo(PREFIX + svc.name());
            } else {
                assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(values.path(svc.valuesKey()).path("replicaCount").asInt());
            }
        }
        assertThat(m.ofKind("HorizontalPodAutoscaler")).hasSize(set == ValueSet.PRODUCTION ? 2 : 0);
    }

    @Test
    void ingressSendsTheWebSocketPathToTheGatewayAndTheRestToTheApi() {
        Manifests m = rendered(ValueSet.PRODUCTION);
        JsonNode ingress = m.get("Ingress", "vigil");
        JsonNode paths = ingress.at("/spec/rules/0/http/paths");
        Map<String, String> routes = new HashMap<>();
        paths.forEach(p -> routes.put(p.path("path").asText(), p.at("/backend/service/name").asText()));
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of("/ws", "vigil-ws-gateway", "/", "vigil-control-api"));
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("vigil-tls");
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asInt())
                .as("idle WebSockets outlive several pings").isGreaterThan(60);
        for (String name : List.of("control-api", "ws-gateway")) {
            JsonNode service = m.get("Service", PREFIX + name);
            assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
            assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
            assertThat(service.at("/spec/selector")).isEqualTo(m.get("Deployment", PREFIX + name).at("/spec/selector/matchLabels"));
            // Endpoints are removed before the pod stops serving, so a roll drops no request or upgrade.
            assertThat(container(m.get("Deployment", PREFIX + name)).at("/lifecycle/preStop/exec/command"))
                    .containsExactly(text("sleep"), text("5"));
        }
        assertThat(m.ofKind("Service")).hasSize(2);
    }

    @Test
    void topicJobRunsBeforeInstallAndUpgradeWithTheServicesKafkaSettings() {
        Manifests m = rendered(ValueSet.PRODUCTION);
        JsonNode job = m.get("Job", "vigil-topics");
        assertThat(job.at("/metadata/annotations/helm.sh~1hook").asText()).isEqualTo("pre-install,pre-upgrade");
        JsonNode container = container(job);
        assertThat(container.path("args")).containsExactly(text("topics"));
        assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
        Map<String, String> env = new TreeMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? e.path("value").asText() : "from " + e.at("/valueFrom/secretKeyRef/name").asText()));
        Map<String, String> serviceEnv = environment(m, ValueSet.PRODUCTION, "control-api");
        for (String key : List.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "VIGIL_TOPIC_PREFIX", "VIGIL_TOPIC_PARTITIONS",
                "VIGIL_TOPIC_REPLICATION_FACTOR", "VIGIL_TOPIC_RETENTION_MEDIA", "VIGIL_TOPIC_RETENTION_INDEX",
                "VIGIL_TOPIC_RETENTION_ALERTS", "VIGIL_KAFKA_CLIENT_SECURITY_PROTOCOL")) {
            assertThat(env.get(key)).as(key).isNotNull().isEqualTo(serviceEnv.get(key));
        }
        assertThat(env).containsEntry("VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG", "from vigil-secrets");
        // The job must not depend on objects of the release, which do not exist yet at the first install.
        assertThat(job.at("/spec/template/spec/serviceAccountName").isMissingNode()).isTrue();
        assertThat(container.has("envFrom")).isFalse();
        assertThat(CommonConfig.fromEnv(env).topicPartitions()).contains(24);
    }

    @Test
    void withoutJobOrStrimziTheServicesCreateTopicsThemselves() {
        Manifests m = Manifests.parse(Tools.template(List.of(), List.of("topics.job.enabled=false")));
        assertThat(m.ofKind("Job")).isEmpty();
        assertThat(m.ofKind("KafkaTopic")).isEmpty();
        for (ServiceDef svc : SERVICES) {
            assertThat(environment(m, ValueSet.DEFAULT, svc.name())).containsEntry("VIGIL_TOPIC_BOOTSTRAP", "true");
        }
    }

    @Test
    void strimziTopicsAreTheCatalogueAsTheTopicBootstrapWouldCreateIt() {
        Manifests m = Manifests.parse(Tools.template(List.of("ci/production-values.yaml"),
                List.of("strimzi.enabled=true", "strimzi.clusterName=prod")));
        assertThat(m.ofKind("Job")).as("Strimzi replaces the topic Job").isEmpty();
        Map<String, String> env = environment(m, ValueSet.PRODUCTION, "alert-router");
        assertThat(env).containsEntry("VIGIL_TOPIC_BOOTSTRAP", "false");
        TopicBootstrap bootstrap = new TopicBootstrap(null, CommonConfig.fromEnv(env));
        Map<String, JsonNode> byTopic = m.ofKind("KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.at("/spec/topicName").asText(), t -> t));
        List<String> expectedNames = new ArrayList<>();
        for (TopicDef<String, ?> def : Topics.ALL) {
            NewTopic plan = bootstrap.plan(def);
            expectedNames.add(plan.name());
            JsonNode topic = byTopic.get(plan.name());
            assertThat(topic).as(plan.name()).isNotNull();
            assertThat(topic.at("/spec/partitions").asInt()).as(plan.name()).isEqualTo(plan.numPartitions());
            assertThat(topic.at("/spec/replicas").asInt()).as(plan.name()).isEqualTo(plan.replicationFactor());
            Map<String, String> configs = new TreeMap<>();
            topic.at("/spec/config").properties().forEach(e -> configs.put(e.getKey(), e.getValue().asText()));
            assertThat(configs).as(plan.name()).isEqualTo(new TreeMap<>(plan.configs()));
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("prod");
            assertThat(topic.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
            assertThat(topic.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
        assertThat(byTopic.keySet()).containsExactlyInAnyOrderElementsOf(expectedNames);
    }

    @Test
    void kubectlParsesEveryRenderedObject() throws IOException {
        List<Manifests> renders = List.of(rendered(ValueSet.DEFAULT), rendered(ValueSet.PRODUCTION),
                Manifests.parse(Tools.template(List.of(), List.of("strimzi.enabled=true", "ingress.enabled=true",
                        "controlApi.autoscaling.enabled=true"))));
        for (Manifests m : renders) {
            Path file = Files.createTempFile("vigil-rendered", ".yaml");
            try {
                Files.writeString(file, m.text());
                Tools.Result parsed = Tools.run(List.of(Tools.kubectl().toString(), "create", "--dry-run=client",
                        "--validate=false", "-o", "name", "-f", file.toString()), api.env()).orFail("kubectl create --dry-run=client");
                Set<String> names = new LinkedHashSet<>(parsed.stdout().lines().toList());
                Set<String> expected = new LinkedHashSet<>();
                for (JsonNode o : m.all()) {
                    String kind = o.path("kind").asText().toLowerCase();
                    String group = o.path("apiVersion").asText().contains("/")
                            ? "." + o.path("apiVersion").asText().substring(0, o.path("apiVersion").asText().indexOf('/')) : "";
                    expected.add(kind + group + "/" + o.at("/metadata/name").asText());
                }
                assertThat(names).isEqualTo(expected);
            } finally {
                Files.delete(file);
            }
        }
    }

    @Test
    void installsClientSideAndPrintsNotes() {
        Tools.Result install = Tools.run(List.of(Tools.helm().toString(), "install", "vigil", Tools.chart().toString(),
                "--namespace", "vigil", "--dry-run=client", "--disable-openapi-validation"), api.env())
                .orFail("helm install --dry-run=client");
        assertThat(install.stdout()).contains("NOTES:")
                .contains("kubectl -n vigil get secret vigil -o jsonpath='{.data.VIGIL_API_KEYS}'")
                .contains("logs job/vigil-topics")
                .contains("control-api: 2 replica(s)");
    }

    @Test
    void schemaRefusesUnknownKeysWrongTypesAndSettingsThatAreNotVigilVariables() {
        Map<String, String> refused = Map.of(
                "ingres.enabled=true", "Additional property ingres is not allowed",
                "controlApi.replicaCount=two", "controlApi.replicaCount",
                "wsGateway.config.WS_MAX_CONNECTIONS=5", "wsGateway.config",
                "topics.retention.media=90m", "topics.retention.media",
                "kafka.bootstrapServers=kafka", "kafka.bootstrapServers");
        refused.forEach((set, message) -> {
            Tools.Result result = Tools.run(List.of(Tools.helm().toString(), "template", "vigil", Tools.chart().toString(),
                    "--set", set), Map.of());
            assertThat(result.exitCode()).as(set).isNotZero();
            assertThat(result.stderr()).as(set).contains(message);
        });
    }

    @Test
    void everyDocumentedValueIsInTheReadmeTable() throws IOException {
        List<String> documented = documentedValues(Files.readAllLines(Tools.chart().resolve("values.yaml")));
        Set<String> table = new LinkedHashSet<>();
        String readme = Files.readString(Tools.chart().resolve("README.md"));
        assertThat(readme).contains("## Parameters");
        String parameters = readme.substring(readme.indexOf("## Parameters"));
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(parameters);
        while (row.find()) {
            table.add(row.group(1));
        }
        assertThat(documented).hasSizeGreaterThan(60).doesNotHaveDuplicates();
        assertThat(table).containsExactlyElementsOf(documented);
    }

    /** Paths of the keys preceded by a {@code # --} comment in values.yaml, in order. */
    static List<String> documentedValues(List<String> lines) {
        List<String> paths = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        boolean pending = false;
        Pattern key = Pattern.compile("^( *)([A-Za-z0-9_.]+):(.*)$");
        for (String line : lines) {
            if (line.trim().startsWith("# --")) {
                pending = true;
                continue;
            }
            Matcher m = key.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int depth = m.group(1).length() / 2;
            while (stack.size() > depth) {
                stack.remove(stack.size() - 1);
            }
            stack.add(m.group(2));
            if (pending) {
                paths.add(String.join(".", stack));
                pending = false;
            }
        }
        return paths;
    }

    /** The environment a service's container gets: its ConfigMap, then its env entries resolved. */
    static Map<String, String> environment(Manifests m, ValueSet set, String service) {
        JsonNode deployment = m.get("Deployment", PREFIX + service);
        JsonNode container = container(deployment);
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String name = from.at("/configMapRef/name").asText();
            m.get("ConfigMap", name).path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
                env.put(name, PREFIX + service + "-5d9c7b8f4-x2x7q");
            } else {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                String value = m.find("Secret", ref.path("name").asText())
                        .map(s -> s.path("data").path(ref.path("key").asText()))
                        .filter(v -> !v.isMissingNode())
                        .map(v -> decode(v.asText()))
                        // an existing Secret (production) or an optional key: a value of the right shape
                        .orElse(ref.path("optional").asBoolean() ? null
                                : name.equals(SecretKeys.KEYS.env()) ? "prod=" + "k".repeat(40) : "k".repeat(40));
                if (value != null) {
                    env.put(name, value);
                }
            }
        }
        return env;
    }

    private static String checksum(Manifests m, String service) {
        return m.get("Deployment", PREFIX + service).at("/spec/template/metadata/annotations/checksum~1config").asText();
    }

    private static Map<String, String> mountsOf(JsonNode container) {
        Map<String, String> mounts = new HashMap<>();
        container.path("volumeMounts").forEach(v -> mounts.put(v.path("name").asText(), v.path("mountPath").asText()));
        return mounts;
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static JsonNode text(String s) {
        return Manifests.YAML.getNodeFactory().textNode(s);
    }
}
