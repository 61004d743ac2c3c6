package io.pgmetrics.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The exporter as users run it: {@code java -jar pgmetrics-exporter.jar} in a child JVM, stdout and
 * stderr kept in files, signals sent with kill(1). Uses a private copy of the packaged jar (a build
 * running next to the tests may rewrite target/); without a packaged jar, the same main class from
 * this JVM's class path.
 */
final class ChildExporter implements AutoCloseable {

    private static Path jarCopy;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildExporter(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The command that starts the exporter: the jar when it was packaged, else the class path. */
    static synchronized List<String> command() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of(
                System.getProperty("pgmetrics.exporter.jar", "../pgmetrics-exporter/target/pgmetrics-exporter.jar"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (Files.isRegularFile(jar)) {
            try {
                if (jarCopy == null) {
                    jarCopy = Files.createTempFile("pgmetrics-exporter-reliability", ".jar");
                    jarCopy.toFile().deleteOnExit();
                    Files.copy(jar, jarCopy, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cmd.addAll(List.of("-jar", jarCopy.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pgmetrics.exporter.Main"));
        }
        return cmd;
    }

    static String how() {
        return command().contains("-jar") ? "the packaged jar" : "the class path (no packaged jar)";
    }

    static ChildExporter start(Path dir, List<String> args, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("DATA_SOURCE")
                        || k.startsWith("PG_EXPORTER")
                        || k.startsWith("POSTGRES_")
                        || k.startsWith("PGMETRICS"));
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile(dir, "stdout", ".txt");
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new ChildExporter(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Process process() {
        return process;
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // not UTF-8: read as bytes so nothing hides
            try {
                return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }

    /** Waits until stderr shows {@code text}; fails with the output when the process ends or time runs out. */
    void awaitLog(String text, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!stderr().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("the exporter ended (exit " + process.exitValue() + ") before logging '" + text
                        + "':\n" + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the log after " + max.toSeconds() + " s:\n" + stderr());
            }
            FaultyServer.sleep(50);
        }
    }

    /** Waits for the process to end; its exit code. */
    int await(Duration max) {
        try {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the exporter did not end within " + max.toSeconds() + " s:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
