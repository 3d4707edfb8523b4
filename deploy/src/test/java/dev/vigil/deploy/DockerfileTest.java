package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/docker/Dockerfile} against the Maven build it packages (Docker itself is not needed):
 * every file it copies exists after {@code mvn package}, the launcher's manifest class path is complete
 * in the copied {@code lib/}, the linux-x86_64 natives are there, the build context keeps what is
 * copied, and the entry point, user and writable paths agree with the Helm chart.
 *
 * <p>This module comes after {@code standalone} in the reactor (a test dependency orders it), so
 * {@code mvn verify} from the root has packaged the launcher first; run alone, build it with
 * {@code mvn -B -DskipTests package -pl standalone -am}.
 */
class DockerfileTest {

    /** One COPY instruction: sources relative to the build context, destination in the image. */
    record Copy(List<String> sources, String destination) {
    }

    private static Path root;
    private static List<String> instructions;

    @BeforeAll
    static void readDockerfile() throws IOException {
        root = Tools.root();
        instructions = instructions(Files.readAllLines(root.resolve("deploy/docker/Dockerfile")));
    }

    /** Instructions with continuation lines joined and comments dropped. */
    static List<String> instructions(List<String> lines) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                result.add(current.toString().trim());
                current.setLength(0);
            }
        }
        return result;
    }

    static List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (String instruction : instructions) {
            if (!instruction.toUpperCase().startsWith("COPY ")) {
                continue;
            }
            List<String> words = new ArrayList<>(Arrays.asList(instruction.substring(5).trim().split("\\s+")));
            assertThat(words).as("COPY from another stage is not expected: %s", instruction)
                    .noneMatch(w -> w.startsWith("--from"));
            words.removeIf(w -> w.startsWith("--"));
            copies.add(new Copy(List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1)));
        }
        return copies;
    }

    private static String instruction(String name) {
        return instructions.stream().filter(i -> i.toUpperCase().startsWith(name + " ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + name + " in the Dockerfile"));
    }

    private static Path launcher() {
        Path jar = root.resolve("standalone/target/vigil.jar");
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing: the image is built from the Maven output; run `mvn -B -DskipTests package` "
                    + "(or `-pl standalone -am`) first");
        }
        return jar;
    }

    @Test
    void everyCopiedBuildOutputExistsAfterPackage() throws IOException {
        launcher();
        List<Copy> copies = copies();
        assertThat(copies).isNotEmpty();
        for (Copy copy : copies) {
            for (String source : copy.sources()) {
                Path path = root.resolve(source);
                assertThat(path).as("COPY source %s", source).exists();
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.list(path)) {
                        assertThat(files.count()).as("files in %s", source).isPositive();
                    }
                }
            }
        }
    }

    @Test
    void launcherAndItsClassPathLandSideBySideInTheImage() throws IOException {
        Map<String, String> destinations = new java.util.HashMap<>();
        copies().forEach(c -> c.sources().forEach(s -> destinations.put(s.replaceAll("/$", ""), c.destination())));
        assertThat(destinations).containsEntry("standalone/target/vigil.jar", "/opt/vigil/vigil.jar")
                .containsEntry("standalone/target/lib", "/opt/vigil/lib/");
        try (JarFile jar = new JarFile(launcher().toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("dev.vigil.standalone.VigilCli");
            String[] classPath = manifest.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+");
            assertThat(classPath).hasSizeGreaterThan(20);
            for (String entry : classPath) {
                assertThat(entry).startsWith("lib/");
                assertThat(root.resolve("standalone/target").resolve(entry)).as("Class-Path entry %s", entry).isRegularFile();
            }
        }
    }

    @Test
    void imageHoldsEveryServiceTheChartRunsAndTheNativesTheyLoad() throws IOException {
        List<String> classPath;
        try (JarFile jar = new JarFile(launcher().toFile())) {
            classPath = List.of(jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+"));
        }
        // `vigil service <name>` can only run a service whose module is on the launcher's class path.
        for (HelmChartTest.ServiceDef svc : HelmChartTest.SERVICES) {
            String module = "lib/vigil-" + svc.name() + "-";
            assertThat(classPath).as("standalone must depend on vigil-%s for `vigil service %s`", svc.name(), svc.name())
                    .anyMatch(e -> e.startsWith(module));
        }
        // The natives JavaCPP unpacks into the cache volume (ingest: FFmpeg; indexer: OpenCV, OpenBLAS):
        // linux-x86_64 only, hence a glibc base image.
        for (String natives : List.of("javacpp", "ffmpeg", "opencv", "openblas")) {
            assertThat(classPath).as("%s natives (linux-x86_64)", natives)
                    .anyMatch(e -> e.startsWith("lib/" + natives + "-") && e.endsWith("-linux-x86_64.jar"));
        }
    }

    @Test
    void entrypointRunsTheLauncherWithTheNativeCacheOnTheChartsVolume() {
        String entrypoint = instruction("ENTRYPOINT");
        assertThat(entrypoint).contains("\"-jar\", \"/opt/vigil/vigil.jar\"")
                .contains("\"-Dorg.bytedeco.javacpp.cachedir=/var/cache/vigil/javacpp\"")
                .startsWith("ENTRYPOINT [\"java\"");
        assertThat(instruction("FROM")).contains("JRE_IMAGE");
        assertThat(instructions).anyMatch(i -> i.matches("ARG JRE_IMAGE=eclipse-temurin:17-jre-\\w+"));

        Manifests chart = HelmChartTest.rendered(HelmChartTest.ValueSet.DEFAULT);
        JsonNode pod = chart.get("Deployment", "vigil-ingest-worker").at("/spec/template/spec");
        List<String> mountPaths = new ArrayList<>();
        pod.at("/containers/0/volumeMounts").forEach(m -> mountPaths.add(m.path("mountPath").asText()));
        assertThat(mountPaths).contains("/var/cache/vigil/javacpp", "/tmp");
        assertThat(instruction("RUN")).contains("mkdir -p /var/cache/vigil/javacpp /var/lib/vigil/state");
    }

    @Test
    void runsAsTheNumericNonRootUserTheChartExpects() {
        Matcher user = Pattern.compile("USER (\\d+):(\\d+)").matcher(instruction("USER"));
        assertThat(user.matches()).as("numeric USER uid:gid, so runAsNonRoot can verify it").isTrue();
        JsonNode pod = HelmChartTest.rendered(HelmChartTest.ValueSet.DEFAULT).get("Deployment", "vigil-control-api")
                .at("/spec/template/spec");
        assertThat(user.group(1)).isEqualTo(pod.at("/securityContext/runAsUser").asText()).isNotEqualTo("0");
        assertThat(user.group(2)).isEqualTo(pod.at("/securityContext/runAsGroup").asText());
        assertThat(instruction("RUN")).contains("--uid " + user.group(1)).contains("--gid " + user.group(2));
    }

    @Test
    void buildContextKeepsExactlyWhatIsCopied() throws IOException {
        List<String> patterns = Files.readAllLines(root.resolve("deploy/docker/Dockerfile.dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (Copy copy : copies()) {
            for (String source : copy.sources()) {
                assertThat(ignored(patterns, source.replaceAll("/$", ""))).as("%s excluded from the context", source).isFalse();
                assertThat(ignored(patterns, source.replaceAll("/$", "") + "/x.jar")).isFalse();
            }
        }
        assertThat(ignored(patterns, "common/src/main/java/Foo.java")).isTrue();
        assertThat(ignored(patterns, ".git")).isTrue();
        assertThat(ignored(patterns, "standalone/target/classes")).isTrue();
    }

    /**
     * Docker's rule: the last matching pattern wins, {@code !} re-includes, and a pattern matching a
     * parent folder matches everything below it.
     */
    static boolean ignored(List<String> patterns, String path) {
        boolean ignored = false;
        for (String raw : patterns) {
            boolean include = raw.startsWith("!");
            String pattern = (include ? raw.substring(1) : raw).replaceAll("/$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            boolean matches = false;
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    matches = true;
                    break;
                }
            }
            if (matches) {
                ignored = !include;
            }
        }
        return ignored;
    }
}
