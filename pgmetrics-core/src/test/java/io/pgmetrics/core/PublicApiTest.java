package io.pgmetrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of pgmetrics-core is a decision, not an accident: every public type outside {@code
 * io.pgmetrics.core.internal} is listed in {@code public-api.txt}, which japicmp then keeps compatible from
 * release to release. A new public type fails this test until it is either listed there or moved to an
 * internal package.
 */
class PublicApiTest {

    private static final String INTERNAL = "io.pgmetrics.core.internal";

    @Test
    void thePublicTypesAreTheListedOnes() throws Exception {
        List<String> listed;
        try (var in = Objects.requireNonNull(PublicApiTest.class.getResourceAsStream("/public-api.txt"))) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .toList();
        }

        TreeSet<String> actual = publicTypes();

        TreeSet<String> added = new TreeSet<>(actual);
        added.removeAll(listed);
        TreeSet<String> removed = new TreeSet<>(listed);
        removed.removeAll(actual);
        assertThat(added)
                .as("public types not in src/test/resources/public-api.txt: list them there if they are meant as API"
                        + " (japicmp will keep them), or move them to " + INTERNAL + ".*")
                .isEmpty();
        assertThat(removed)
                .as("types in public-api.txt that are no longer public API (a break for users once released)")
                .isEmpty();
    }

    @Test
    void everyInternalPackageSaysItIsNotApi() throws IOException {
        Path internal = Path.of("src/main/java", INTERNAL.replace('.', '/'));
        List<Path> packages;
        try (Stream<Path> dirs = Files.walk(internal)) {
            packages = dirs.filter(d -> hasJava(d)).toList();
        }
        assertThat(packages).isNotEmpty();
        for (Path p : packages) {
            Path info = p.resolve("package-info.java");
            assertThat(info).as("package-info of " + p).exists();
            assertThat(Files.readString(info)).as(info.toString()).contains("Not API: may change in any release.");
        }
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Public types (and public nested types of public types) of core's main classes, internal packages left out. */
    private static TreeSet<String> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(PgMetrics.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replace('\\', '.'))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> !n.endsWith("package-info") && !n.startsWith(INTERNAL + "."))
                    .forEach(names::add);
        }
        TreeSet<String> out = new TreeSet<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            if (visible(type)) {
                out.add(type.getName().replace('$', '.'));
            }
        }
        return out;
    }

    private static boolean visible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
                return false;
            }
        }
        return true;
    }
}
