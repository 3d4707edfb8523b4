package dev.vigil.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamSourceTest {

    @TempDir
    Path dir;

    @Test
    void recognisesNetworkKinds() throws Exception {
        assertThat(StreamSource.parse("rtsp://cam.local:554/h264", false, false).kind()).isEqualTo(SourceKind.RTSP);
        assertThat(StreamSource.parse("rtsps://cam.local/x", false, false).kind()).isEqualTo(SourceKind.RTSP);
        assertThat(StreamSource.parse("rtmp://live.example/app/key", false, false).kind()).isEqualTo(SourceKind.RTMP);
        assertThat(StreamSource.parse("https://cdn.example/live/index.m3u8?token=1", false, false).kind())
                .isEqualTo(SourceKind.HLS);
        assertThat(StreamSource.parse("http://cam.local/stream.ts", false, false).kind()).isEqualTo(SourceKind.HTTP);
    }

    @Test
    void refusesFilesUnlessAllowed() throws Exception {
        Path file = Files.writeString(dir.resolve("clip.mp4"), "x");
        assertThatThrownBy(() -> StreamSource.parse(file.toString(), false, false))
                .isInstanceOf(SourceException.class).hasMessageContaining("VIGIL_INGEST_ALLOW_FILES")
                .satisfies(e -> assertThat(((SourceException) e).isPermanent()).isTrue());
        StreamSource source = StreamSource.parse(file.toString(), true, false);
        assertThat(source.kind()).isEqualTo(SourceKind.FILE);
        assertThat(source.input()).isEqualTo(file.toString());
        assertThat(source.loop()).isFalse();
    }

    @Test
    void filesMustBeInsideTheFileRootWhenOneIsSet() throws Exception {
        Path root = Files.createDirectories(dir.resolve("media"));
        Path inside = Files.writeString(root.resolve("clip.mp4"), "x");
        Path outside = Files.writeString(dir.resolve("secret.mp4"), "x");
        Path link = Files.createSymbolicLink(root.resolve("link.mp4"), outside);
        Optional<Path> fileRoot = Optional.of(root);

        assertThat(StreamSource.parse(inside.toString(), true, fileRoot, false).input())
                .isEqualTo(inside.toRealPath().toString());
        for (String url : new String[] {outside.toString(), root + "/../secret.mp4", link.toString(),
                outside.toUri().toString()}) {
            assertThatThrownBy(() -> StreamSource.parse(url, true, fileRoot, false)).as(url)
                    .isInstanceOf(SourceException.class).hasMessageContaining("VIGIL_INGEST_FILE_ROOT");
        }
    }

    @Test
    void fileUrlsMayAskToLoop() throws Exception {
        Path file = Files.writeString(dir.resolve("clip.mp4"), "x");
        assertThat(StreamSource.parse(file.toUri() + "?loop=true", true, false).loop()).isTrue();
        assertThat(StreamSource.parse(file.toUri() + "?loop=0", true, true).loop()).isFalse();
        assertThat(StreamSource.parse(file.toUri().toString(), true, true).loop()).isTrue();
        assertThat(StreamSource.parse(file.toUri().toString(), true, true).input()).isEqualTo(file.toString());
    }

    @Test
    void missingFilesAndBadUrlsArePermanentErrors() {
        assertThatThrownBy(() -> StreamSource.parse(dir.resolve("none.mp4").toString(), true, false))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> StreamSource.parse("ftp://host/x.mp4", true, false))
                .hasMessageContaining("unsupported URL scheme 'ftp'");
        assertThatThrownBy(() -> StreamSource.parse("rtsp:///nohost", true, false)).hasMessageContaining("no host");
        assertThatThrownBy(() -> StreamSource.parse("", true, false)).hasMessageContaining("no URL");
    }

    @Test
    void redactsCredentials() {
        assertThat(StreamSource.redact("rtsp://admin:secret@cam.local:554/h264")).isEqualTo("rtsp://***@cam.local:554/h264");
        assertThat(StreamSource.redact("http://cam.local/a@b")).isEqualTo("http://cam.local/a@b");
    }
}
