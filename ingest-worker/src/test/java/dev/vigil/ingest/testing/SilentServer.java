package dev.vigil.ingest.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server that misbehaves the way dead cameras and hung servers do: it accepts connections and
 * then sends nothing ({@link #blackHole()}), or answers an HTTP request with the start of a media
 * file and then stalls with the connection open ({@link #stallingHttp(byte[])}).
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final byte[] stallAfter;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentServer(byte[] stallAfter) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.stallAfter = stallAfter;
        this.acceptor = new Thread(this::accept, "test-silent-server-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static SilentServer blackHole() throws IOException {
        return new SilentServer(null);
    }

    /** Answers with a 200 and {@code head} (a part of a media file), then sends nothing more. */
    public static SilentServer stallingHttp(byte[] head) throws IOException {
        return new SilentServer(head);
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                held.add(s);
                if (stallAfter != null) {
                    answer(s);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        // Read the request head (up to the blank line) before answering.
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nContent-Length: 100000000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(stallAfter);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
