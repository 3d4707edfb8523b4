package dev.vigil.deploy.containers;

import com.github.dockerjava.api.model.Network.Ipam;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * Servers in the test JVM that containers call: a static file server (the stream source) and a
 * {@link WebhookReceiver}. They listen on every interface; containers reach them at the gateway
 * address of their network, which is this machine.
 */
public final class HostServers implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final String hostAddress;
    private HttpServer server;

    public HostServers(Network network) {
        this(network.getId());
    }

    /** For the containers of the Docker network named (or with the id) {@code network}. */
    public HostServers(String network) {
        this.hostAddress = gateway(network);
    }

    /** This machine's address on {@code network}. */
    static String gateway(String network) {
        return DockerClientFactory.instance().client().inspectNetworkCmd().withNetworkId(network).exec()
                .getIpam().getConfig().stream().map(Ipam.Config::getGateway).filter(g -> g != null && !g.isBlank())
                .findFirst().orElseThrow(() -> new IllegalStateException("network " + network + " has no gateway"));
    }

    /** Serves {@code media} under {@code /media/} (with Range requests, which FFmpeg uses) and {@code receiver} at {@code /webhook}. */
    public HostServers start(Path media, WebhookReceiver receiver) throws Exception {
        Router router = Router.router(vertx);
        router.route("/media/*").handler(StaticHandler.create(io.vertx.ext.web.handler.FileSystemAccess.ROOT,
                media.toAbsolutePath().toString()).setCachingEnabled(false));
        receiver.mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "0.0.0.0")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return this;
    }

    /** {@code http://<gateway>:<port>}: the base URL containers use. */
    public String baseUrlForContainers() {
        return "http://" + hostAddress + ":" + server.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
