package dev.vigil.deploy.containers;

import dev.vigil.deploy.Tools;
import dev.vigil.testkit.KafkaImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The images {@code scripts/build-images.sh} builds (the deploy module's build runs it before its
 * integration tests): {@code vigil:<the chart's appVersion>}, the Helm chart's default image, and the
 * Kafka image of testkit's {@link KafkaImages}.
 */
public final class Images {

    private static final Pattern APP_VERSION = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?\\s*$");

    private Images() {
    }

    /** {@code vigil:<appVersion>}, as the chart's default values name it. */
    public static DockerImageName vigil() {
        try {
            String chart = Files.readString(Tools.root().resolve("deploy/helm/vigil/Chart.yaml"));
            Matcher version = APP_VERSION.matcher(chart);
            if (!version.find()) {
                throw new IllegalStateException("no appVersion in deploy/helm/vigil/Chart.yaml");
            }
            return DockerImageName.parse("vigil:" + version.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code vigil/kafka:<Kafka version>}, a compatible substitute for {@code apache/kafka}. */
    public static DockerImageName kafka() {
        return KafkaImages.kafka();
    }

    /** The image's size as Docker reports it (all layers, uncompressed). */
    public static long sizeBytes(DockerImageName image) {
        return DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec().getSize();
    }
}
