package dev.vigil.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a Kubernetes 1.31 API server that answers only discovery ({@code /version},
 * {@code /api}, {@code /apis} and the resource lists of each group version), in the API server's
 * own JSON. kubectl and helm need discovery to map a manifest's apiVersion and kind to a resource,
 * even for a client-side dry run; with this they run offline, and an apiVersion or kind a 1.31
 * cluster (with the Strimzi CRDs) does not serve fails the parse, as it would on a real cluster.
 * OpenAPI schemas are not served, so callers turn schema validation off.
 */
final class KubeApiStub implements AutoCloseable {

    private record Resource(String plural, String kind, boolean namespaced) {
    }

    /** Group version → the resources it serves: the built-in ones the chart could use, and Strimzi's. */
    private static final Map<String, List<Resource>> SERVED = new LinkedHashMap<>();

    static {
        SERVED.put("v1", List.of(new Resource("configmaps", "ConfigMap", true), new Resource("secrets", "Secret", true),
                new Resource("services", "Service", true), new Resource("serviceaccounts", "ServiceAccount", true),
                new Resource("pods", "Pod", true), new Resource("persistentvolumeclaims", "PersistentVolumeClaim", true),
                new Resource("namespaces", "Namespace", false)));
        SERVED.put("apps/v1", List.of(new Resource("deployments", "Deployment", true),
                new Resource("statefulsets", "StatefulSet", true), new Resource("daemonsets", "DaemonSet", true)));
        SERVED.put("batch/v1", List.of(new Resource("jobs", "Job", true), new Resource("cronjobs", "CronJob", true)));
        SERVED.put("policy/v1", List.of(new Resource("poddisruptionbudgets", "PodDisruptionBudget", true)));
        SERVED.put("autoscaling/v2", List.of(new Resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true)));
        SERVED.put("autoscaling/v1", List.of(new Resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true)));
        SERVED.put("networking.k8s.io/v1", List.of(new Resource("ingresses", "Ingress", true),
                new Resource("networkpolicies", "NetworkPolicy", true), new Resource("ingressclasses", "IngressClass", false)));
        SERVED.put("kafka.strimzi.io/v1beta2", List.of(new Resource("kafkatopics", "KafkaTopic", true),
                new Resource("kafkausers", "KafkaUser", true), new Resource("kafkas", "Kafka", true)));
        SERVED.put("monitoring.coreos.com/v1", List.of(new Resource("servicemonitors", "ServiceMonitor", true),
                new Resource("podmonitors", "PodMonitor", true)));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Path kubeconfig;

    private KubeApiStub(HttpServer server, Path kubeconfig) {
        this.server = server;
        this.kubeconfig = kubeconfig;
    }

    /** Starts the stub on a free loopback port and writes a kubeconfig pointing at it. */
    static KubeApiStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", KubeApiStub::handle);
            server.start();
            Path kubeconfig = Files.createTempFile("vigil-kubeconfig", ".yaml");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: stub
                        cluster: {server: "http://127.0.0.1:%d"}
                    users:
                      - name: stub
                        user: {}
                    contexts:
                      - name: stub
                        context: {cluster: stub, user: stub, namespace: vigil}
                    current-context: stub
                    """.formatted(server.getAddress().getPort()));
            return new KubeApiStub(server, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the API stub", e);
        }
    }

    /** The environment that points kubectl and helm at this stub. */
    Map<String, String> env() {
        return Map.of("KUBECONFIG", kubeconfig.toString());
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            ObjectNode body = answer(path);
            byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private static ObjectNode answer(String path) {
        if (path.equals("/version")) {
            return JSON.createObjectNode().put("major", "1").put("minor", "31").put("gitVersion", "v1.31.0")
                    .put("platform", "linux/amd64");
        }
        if (path.equals("/api")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            return versions;
        }
        if (path.equals("/apis")) {
            ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = list.putArray("groups");
            Map<String, ObjectNode> byGroup = new LinkedHashMap<>();
            SERVED.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> {
                String group = gv.substring(0, gv.indexOf('/'));
                ObjectNode g = byGroup.computeIfAbsent(group, name -> {
                    ObjectNode node = groups.addObject().put("name", name);
                    node.putArray("versions");
                    node.putObject("preferredVersion").put("groupVersion", gv).put("version", gv.substring(gv.indexOf('/') + 1));
                    return node;
                });
                ((ArrayNode) g.get("versions")).addObject().put("groupVersion", gv).put("version", gv.substring(gv.indexOf('/') + 1));
            });
            return list;
        }
        String groupVersion = path.startsWith("/api/") ? path.substring("/api/".length())
                : path.startsWith("/apis/") ? path.substring("/apis/".length()) : null;
        List<Resource> resources = groupVersion == null ? null : SERVED.get(groupVersion);
        if (resources == null) {
            return null;
        }
        ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode array = list.putArray("resources");
        for (Resource r : resources) {
            ObjectNode node = array.addObject().put("name", r.plural()).put("singularName", r.kind().toLowerCase())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            node.putArray("verbs").add("create").add("delete").add("get").add("list").add("patch").add("update")
                    .add("watch");
        }
        return list;
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }
}
