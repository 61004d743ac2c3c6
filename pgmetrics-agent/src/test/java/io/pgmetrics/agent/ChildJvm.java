package io.pgmetrics.agent;

import io.pgmetrics.testing.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real child JVM (a host application, with or without the agent), its output collected line by
 * line with the time each line arrived. Closing it kills the process.
 */
final class ChildJvm implements AutoCloseable {

    /** One line of output: which stream, when (ms after start), what. */
    record Line(String stream, long atMillis, String text) {
        @Override
        public String toString() {
            return stream + " +" + atMillis + "ms " + text;
        }
    }

    private final Process process;
    private final long startNanos;
    private final List<Line> lines = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final String description;

    private ChildJvm(Process process, long startNanos, String description) {
        this.process = process;
        this.startNanos = startNanos;
        this.description = description;
        readers.add(read("out", process.getInputStream()));
        readers.add(read("err", process.getErrorStream()));
    }

    static Builder on(Jdk jdk) {
        return new Builder(jdk);
    }

    static final class Builder {
        private final Jdk jdk;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();
        private List<Path> classpath = List.of();
        private String mainClass;
        private List<String> args = List.of();

        private Builder(Jdk jdk) {
            this.jdk = jdk;
        }

        /** {@code -javaagent:<jar>=<argument>}. */
        Builder agent(Path jar, String argument) {
            jvmOptions.add("-javaagent:" + jar + (argument == null ? "" : "=" + argument));
            return this;
        }

        Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Builder classpath(List<Path> entries) {
            classpath = entries;
            return this;
        }

        Builder main(String mainClass, String... args) {
            this.mainClass = mainClass;
            this.args = List.of(args);
            return this;
        }

        ChildJvm start() {
            List<String> command = new ArrayList<>();
            command.add(jdk.java().toString());
            command.addAll(jvmOptions);
            if (!classpath.isEmpty()) {
                command.add("-cp");
                command.add(HostApps.classpath(classpath));
            }
            command.add(mainClass);
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command);
            // a clean slate: no connection settings leak in from the build's own environment
            for (String name : List.copyOf(pb.environment().keySet())) {
                if (name.startsWith("DATA_SOURCE_")
                        || name.startsWith("POSTGRES_")
                        || name.startsWith("PG")
                        || name.startsWith("SPRING_")
                        || name.startsWith("JAVA_TOOL_OPTIONS")
                        || name.startsWith("JDK_JAVA_OPTIONS")) {
                    pb.environment().remove(name);
                }
            }
            pb.environment().putAll(env);
            try {
                long start = System.nanoTime();
                return new ChildJvm(pb.start(), start, jdk + " " + mainClass + " " + jvmOptions);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }
    }

    private Thread read(String stream, InputStream in) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String text;
                        while ((text = r.readLine()) != null) {
                            long at = (System.nanoTime() - startNanos) / 1_000_000;
                            synchronized (lines) {
                                lines.add(new Line(stream, at, text));
                                lines.notifyAll();
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "child-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Lines whose text contains {@code part}. */
    List<Line> linesContaining(String part) {
        return lines().stream().filter(l -> l.text().contains(part)).toList();
    }

    /** Polls {@code path} on this JVM's {@code port} until it answers 200, or fails with the output. */
    Http.Response awaitOk(int port, String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Http.Response> last = Optional.empty();
        while (System.nanoTime() < deadline && isAlive()) {
            last = Http.tryGet(port, path);
            if (last.isPresent() && last.get().status() == 200) {
                return last.get();
            }
            sleep(100);
        }
        throw new AssertionError("GET " + path + " on port " + port + " did not answer 200 within " + timeout
                + " (last: " + last.map(r -> r.status() + " " + r.body()).orElse("no answer") + ")\n" + output());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The full output, for failure messages. */
    String output() {
        StringBuilder b = new StringBuilder(description).append('\n');
        lines().forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }

    /** Waits for a line that matches, or fails with the output. */
    Line awaitLine(Predicate<String> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                Optional<Line> found =
                        lines.stream().filter(l -> matches.test(l.text())).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && readersDone())) {
                    throw new AssertionError("expected line not seen within " + timeout + " (alive: "
                            + process.isAlive() + ")\n" + output());
                }
                try {
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Waits for the process to end by itself; empty if it is still running after {@code timeout}. */
    Optional<Integer> awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                for (Thread t : readers) {
                    t.join(2000);
                }
                return Optional.of(process.exitValue());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private boolean readersDone() {
        return readers.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
