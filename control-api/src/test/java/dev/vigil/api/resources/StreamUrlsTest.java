package dev.vigil.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamUrlsTest {

    @Test
    void defaultNamesLoseUserInfoSecretParametersAndFragments() {
        assertThat(StreamUrls.withoutCredentials("rtsp://user:pass@cam/x")).isEqualTo("rtsp://cam/x");
        assertThat(StreamUrls.withoutCredentials("rtsp://admin:p@ss@cam.local:554/live")).isEqualTo("rtsp://cam.local:554/live");
        assertThat(StreamUrls.withoutCredentials("http://cam/x.m3u8?token=abc&channel=2&PASSWORD=p#frag"))
                .isEqualTo("http://cam/x.m3u8?channel=2");
        assertThat(StreamUrls.withoutCredentials("rtmp://live.example.com/app?key=k")).isEqualTo("rtmp://live.example.com/app");
        assertThat(StreamUrls.withoutCredentials("rtsp://user@cam?user=u;pwd=p")).isEqualTo("rtsp://cam");
        assertThat(StreamUrls.withoutCredentials("rtsp://cam/a@b")).isEqualTo("rtsp://cam/a@b");
        assertThat(StreamUrls.withoutCredentials("/var/media/clip.mp4")).isEqualTo("/var/media/clip.mp4");
    }

    @Test
    void credentialsInFreeTextAreMasked() {
        assertThat(StreamUrls.redactCredentials("rtsp://admin:secret@10.0.0.5/live: 401 Unauthorized"))
                .isEqualTo("rtsp://***@10.0.0.5/live: 401 Unauthorized")
                .doesNotContain("secret");
        assertThat(StreamUrls.redactCredentials("cannot open http://cam/x?token=abc123&ch=1"))
                .isEqualTo("cannot open http://cam/x?token=***&ch=1");
        assertThat(StreamUrls.redactCredentials("connection refused")).isEqualTo("connection refused");
        assertThat(StreamUrls.redactCredentials(null)).isNull();
    }
}
