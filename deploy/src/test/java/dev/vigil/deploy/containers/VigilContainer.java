package dev.vigil.deploy.containers;

import java.time.Duration;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * One container of Vigil's image, run the way the Helm chart runs its pods: read-only root file system
 * with writable memory-backed folders where the chart mounts emptyDirs ({@code /tmp}, the JavaCPP
 * native cache, the Streams state), the image's non-root user, health and metrics on their own port.
 * Its log goes to the test log under {@code vigil.<instance>}.
 */
public final class VigilContainer extends GenericContainer<VigilContainer> {

    /** {@code VIGIL_HTTP_PORT}: the REST API (control-api), {@code /ws} (ws-gateway). */
    public static final int HTTP_PORT = 8080;
    /** {@code VIGIL_OPS_PORT}: {@code /healthy}, {@code /ready}, {@code /metrics}. */
    public static final int OPS_PORT = 9090;
    /** A service starting on a busy 2-core machine next to a dozen other JVMs. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private final String instance;

    private VigilContainer(String instance) {
        super(Images.vigil());
        this.instance = instance;
        withNetworkAliases(instance);
        withEnv("VIGIL_INSTANCE_ID", instance);
        withEnv("VIGIL_HTTP_PORT", Integer.toString(HTTP_PORT));
        withEnv("VIGIL_OPS_PORT", Integer.toString(OPS_PORT));
        heap("256m");
        // The chart's emptyDirs. Docker's tmpfs default is noexec, but the FFmpeg/OpenCV natives JavaCPP
        // unpacks into its cache, and the compression codecs' natives in /tmp, are mapped executable. A
        // tmpfs takes the image folder's mode but not its owner: the service user is named (the chart's
        // fsGroup does that for its volumes); /tmp is world-writable anyway.
        withTmpFs(Map.of("/tmp", "rw,exec,size=256m",
                "/var/cache/vigil/javacpp", "rw,exec,size=1g,uid=10001,gid=10001",
                "/var/lib/vigil/state", "rw,size=256m,uid=10001,gid=10001"));
        withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true));
        withLogConsumer(new Slf4jLogConsumer(LoggerFactory.getLogger("vigil." + instance)));
    }

    /** {@code vigil service <service>} as {@code instance} (its network alias and VIGIL_INSTANCE_ID), ready when /ready says so. */
    public static VigilContainer service(String service, String instance) {
        return new VigilContainer(instance)
                .withCommand("service", service)
                .withExposedPorts(HTTP_PORT, OPS_PORT)
                .waitingFor(Wait.forHttp("/ready").forPort(OPS_PORT).forStatusCode(200).withStartupTimeout(START_TIMEOUT));
    }

    /** {@code vigil <args>} run to its end; {@code start()} fails unless it exits with 0. */
    public static VigilContainer command(String instance, String... args) {
        return new VigilContainer(instance)
                .withCommand(args)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(START_TIMEOUT));
    }

    /** The JVM's maximum heap ({@code JDK_JAVA_OPTIONS}, as the chart sets it per service). */
    public VigilContainer heap(String size) {
        return withEnv("JDK_JAVA_OPTIONS", "-Xmx" + size + " -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError");
    }

    public String instance() {
        return instance;
    }

    /** {@code http://host:port} of the service's HTTP port as published on this machine. */
    public String httpUrl() {
        return "http://" + getHost() + ":" + getMappedPort(HTTP_PORT);
    }

    /** {@code http://host:port} of the ops port as published on this machine. */
    public String opsUrl() {
        return "http://" + getHost() + ":" + getMappedPort(OPS_PORT);
    }

    /** SIGKILL: the process dies at once, no shutdown hook, no consumer-group leave, no commit. */
    public void kill() {
        DockerClientFactory.instance().client().killContainerCmd(getContainerId()).withSignal("KILL").exec();
    }
}
