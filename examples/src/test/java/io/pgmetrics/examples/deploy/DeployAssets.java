package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Where the deployment assets live and how the tests read them and run external tools on them. */
final class DeployAssets {

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployAssets() {}

    /** examples/deploy; surefire runs with the module's directory as working directory. */
    static Path root() {
        Path deploy = Path.of("deploy").toAbsolutePath();
        assertThat(deploy.resolve("README.md"))
                .as("deploy assets next to the examples pom")
                .exists();
        return deploy;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    /** The repository's top directory (the parent of examples/). */
    static Path repositoryRoot() {
        return root().getParent().getParent();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a (multi-document) YAML file; empty documents are skipped. */
    static List<JsonNode> yamlDocuments(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    documents.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return documents;
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static List<Path> filesUnder(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An executable on the PATH (or in /usr/bin, where Debian installs promtool). */
    static Optional<Path> executable(String name) {
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new ArrayList<>(List.of(pathVariable.split(java.io.File.pathSeparator)));
        dirs.add("/usr/bin");
        return dirs.stream()
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    record ToolRun(int exitCode, String output) {}

    /** Runs a tool in a directory, stdout and stderr together, and fails the test if it hangs. */
    static ToolRun run(Path workingDirectory, List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("pgmetrics-tool-", ".out");
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after 60 s: " + command);
            }
            return new ToolRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
