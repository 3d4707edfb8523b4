package dev.vigil.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers: KRaft cannot listen on port 0, so free ports are picked before the broker starts. */
final class FreePorts {

    private FreePorts() {
    }

    /** A port that was free a moment ago on {@code host}. */
    static int pick(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    /** Fails with a clear message when {@code port} on {@code host} is already taken. */
    static void requireFree(String host, int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new EmbeddedKafkaException("The embedded Kafka " + what + " port " + host + ":" + port
                    + " is already in use (another Vigil or Kafka running?). Stop it or choose another port.", e);
        }
    }
}
