package io.pgmetrics.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A JDK that child JVMs run on: the Java 17 running the tests and, where installed, the Temurin 25
 * JDK under /usr/lib/jvm (tests for it are skipped cleanly when it is absent).
 *
 * @param name what test names show, e.g. "java 17"
 * @param home the JDK's home
 */
record Jdk(String name, Path home) {

    static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    Path java() {
        return home.resolve("bin/java");
    }

    @Override
    public String toString() {
        return name;
    }

    /** The JDK running the tests (the build requires 17). */
    static Jdk current() {
        return new Jdk("java " + Runtime.version().feature(), Path.of(System.getProperty("java.home")));
    }

    /** The Temurin 25 JDK, if installed. */
    static Optional<Jdk> temurin25() {
        if (!Files.isDirectory(JVM_DIR)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(JVM_DIR)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("temurin-25"))
                    .filter(d -> Files.isExecutable(d.resolve("bin/java")))
                    .sorted()
                    .findFirst()
                    .map(d -> new Jdk("temurin 25", d));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The JDKs child JVMs run on: the current one, and Temurin 25 when present. */
    static List<Jdk> all() {
        List<Jdk> out = new ArrayList<>();
        out.add(current());
        temurin25()
                .ifPresentOrElse(
                        out::add,
                        () -> System.out.println("SKIP: no Temurin 25 JDK under " + JVM_DIR + "; child JVMs run on "
                                + current() + " only"));
        return out;
    }
}
