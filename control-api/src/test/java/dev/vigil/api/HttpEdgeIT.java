package dev.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.ControlApiHarness.Reply;
import dev.vigil.testkit.EmbeddedKafkaExtension;
import dev.vigil.testkit.TestKafka;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP edge of control-api: only JSON bodies are read (415 otherwise, before Netty's form decoder
 * can throw), the API key is checked before a body is read, and streams without a name are named
 * after their URL without its credentials.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEdgeIT {

    private ControlApiHarness api;

    @BeforeAll
    void start(TestKafka kafka) throws Exception {
        api = ControlApiHarness.start(kafka, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        api.close();
    }

    @Test
    void formAndMultipartBodiesWithBadEscapesOrLongFieldsGet415NotA500() throws Exception {
        String longField = "a=" + "x".repeat(200_000);
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=zz",
                    "text/plain", "application/json; charset=utf-16", "APPLICATION/X-WWW-FORM-URLENCODED")) {
                for (String body : List.of("a=%ZZ&b=%", longField, "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n%\r\n--zz--")) {
                    RawAnswer answer = raw(method + " /rtstream HTTP/1.1\r\nHost: x\r\nx-access-token: " + ControlApiHarness.ALPHA_KEY
                            + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                            + body);
                    assertThat(answer.status()).as(method + " " + type).isEqualTo(415);
                    assertThat(answer.json().getString("error_code")).isEqualTo("unsupported_media_type");
                    assertThat(answer.json().getBoolean("success")).isFalse();
                }
            }
        }
    }

    @Test
    void jsonThatIsNotUtf8OrTooDeepIsA400() throws Exception {
        byte[] latin1 = "{\"url\":\"rtsp://caf\u00e9/x\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf16 = "{\"url\":\"rtsp://cam/x\"}".getBytes(StandardCharsets.UTF_16);
        byte[] deep = ("[".repeat(5_000) + "]".repeat(5_000)).getBytes(StandardCharsets.US_ASCII);
        byte[] longNumber = ("{\"sample_rate\":" + "9".repeat(5_000) + "}").getBytes(StandardCharsets.US_ASCII);
        for (byte[] body : List.of(latin1, utf16, deep, longNumber)) {
            RawAnswer answer = raw(("POST /rtstream HTTP/1.1\r\nHost: x\r\nx-access-token: " + ControlApiHarness.ALPHA_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), body);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().getString("error_code")).isIn("invalid_json", "invalid_request");
        }
    }

    @Test
    void aJsonBodyWithAUtf8CharsetOrASuffixTypeIsAccepted() throws Exception {
        for (String type : List.of("application/json; charset=UTF-8", "application/json;charset=\"utf-8\"",
                "application/merge-patch+json")) {
            String body = new JsonObject().put("url", "rtsp://camera.example.com/typed").encode();
            RawAnswer answer = raw("POST /rtstream HTTP/1.1\r\nHost: x\r\nx-access-token: " + ControlApiHarness.ALPHA_KEY
                    + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(answer.status()).as(type).isEqualTo(201);
        }
    }

    /**
     * The request announces a 900 KB body (under the 1 MB limit) and sends none of it: a server that
     * read the body before checking the key would wait for it; this one answers 401 on the headers.
     */
    @Test
    void anUnauthenticatedRequestIsRefusedOnItsHeadersWithoutItsBodyBeingRead() throws Exception {
        for (String key : List.of("", "x-access-token: not-a-key-0123456789\r\n")) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", api.port()), 5_000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /rtstream HTTP/1.1\r\nHost: x\r\n" + key
                        + "Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n{\"url\":")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                RawAnswer answer = RawAnswer.parse(readAll(socket.getInputStream()));
                assertThat(answer.status()).isEqualTo(401);
                assertThat(answer.json().getString("error_code")).isEqualTo("unauthorized");
                // And the connection is closed rather than left to swallow the announced body.
                assertThat(answer.head()).containsIgnoringCase("connection: close");
            }
        }
    }

    @Test
    void aStreamWithoutANameIsNamedAfterItsUrlWithoutCredentials() throws Exception {
        Reply created = api.alpha("POST", "/rtstream",
                new JsonObject().put("url", "rtsp://admin:s3cr%40t@camera.example.com:8554/live?token=abc&channel=1"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.data().getString("name")).isEqualTo("rtsp://camera.example.com:8554/live?channel=1");
        Reply listed = api.alpha("GET", "/rtstream/" + created.data().getString("id"), null);
        assertThat(listed.data().getString("name")).doesNotContain("admin").doesNotContain("s3cr").doesNotContain("abc");
    }

    @Test
    void aBodyOnARouteThatTakesNoneIsIgnored() throws Exception {
        Reply created = api.alpha("POST", "/rtstream", new JsonObject().put("url", "rtsp://camera.example.com/ignored"));
        String id = created.data().getString("id");
        Reply deleted = api.alpha("DELETE", "/rtstream/" + id, new JsonObject().put("whatever", true));
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ raw HTTP

    record RawAnswer(int status, String head, JsonObject json) {
        static RawAnswer parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: " + text).isPositive();
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            return new RawAnswer(Integer.parseInt(head.substring(9, 12)), head, body.isEmpty() ? null : new JsonObject(body));
        }
    }

    private RawAnswer raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
    }

    private RawAnswer raw(byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", api.port()), 5_000);
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(head);
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();
            } catch (IOException answeredEarly) {
                // The server may answer and close before the whole body is written.
            }
            return RawAnswer.parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no complete answer; got: " + out.toString(StandardCharsets.UTF_8), e);
        }
        return out.toByteArray();
    }
}
