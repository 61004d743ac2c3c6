package io.pgmetrics.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * The PostgreSQL servers a test class checks its queries on, one per major, as a JUnit 5 extension:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresServers servers = PostgresServers.embedded(13, 14, 15, 16, 17, 18)
 *         .setup("CREATE TABLE jobs (queue text, done boolean)",
 *                "GRANT SELECT ON jobs TO " + PostgresServer.MONITOR_ROLE);
 * }</pre>
 *
 * <p>A server starts when a test first asks for it and stops when the whole test run ends, so every test
 * class that declares the same servers (same majors, configuration and setup) shares them.
 */
public final class PostgresServers implements BeforeAllCallback, BeforeEachCallback {

    private static final Namespace NAMESPACE = Namespace.create(PostgresServers.class);

    /** One server to start: from the embedded binaries when {@code image} is null, else from that image. */
    private record Target(int major, String image) {
        String describe() {
            return image == null ? "embedded PostgreSQL " + major : image;
        }
    }

    private record Setup(String database, List<String> statements) {}

    private final List<Target> targets;
    private final Map<String, String> serverConfig = new LinkedHashMap<>();
    private final List<Setup> setup = new ArrayList<>();
    private String monitorDatabase = "postgres";
    private volatile ExtensionContext.Store store;

    private PostgresServers(List<Target> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("name at least one PostgreSQL major, e.g. embedded(16, 17)");
        }
        this.targets = List.copyOf(targets);
    }

    /**
     * Servers from zonky's embedded binaries, one per major. The binaries jars of these majors are read from
     * {@code target/pg-binaries} (or {@code -Dpgmetrics.pg.binaries=<folder>}); a major not found there runs
     * from the binaries jar on the test classpath.
     */
    public static PostgresServers embedded(int... majors) {
        return new PostgresServers(
                Arrays.stream(majors).mapToObj(m -> new Target(m, null)).toList());
    }

    /**
     * Servers in containers (Testcontainers' PostgreSQL module, which you add in test scope). {@code image}
     * names one image per major with {@code %d} for the major: {@code "postgres:%d"} for the official
     * images, {@code "registry.example.com/pg-with-extensions:%d"} for your own. Without a container engine
     * the tests are skipped, not failed; annotate the class {@code @Testcontainers(disabledWithoutDocker = true)}
     * to skip it before anything starts.
     */
    public static PostgresServers containers(String image, int... majors) {
        Objects.requireNonNull(image, "image");
        if (majors.length > 1 && !image.contains("%d")) {
            throw new IllegalArgumentException("image '" + image + "' has no %d for the major, so it cannot run "
                    + "PostgreSQL " + Arrays.toString(majors) + "; write e.g. postgres:%d");
        }
        return new PostgresServers(Arrays.stream(majors)
                .mapToObj(m -> new Target(m, image.contains("%d") ? image.replace("%d", Integer.toString(m)) : image))
                .toList());
    }

    /** A server setting, e.g. {@code serverConfig("shared_preload_libraries", "pg_stat_statements")}. */
    public PostgresServers serverConfig(String name, String value) {
        serverConfig.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Statements run once on each server as the superuser in database {@code postgres}, after it starts. */
    public PostgresServers setup(String... statements) {
        return setupIn("postgres", statements);
    }

    /** Statements run once on each server as the superuser in {@code database} (create it first). */
    public PostgresServers setupIn(String database, String... statements) {
        setup.add(new Setup(Objects.requireNonNull(database, "database"), List.of(statements)));
        return this;
    }

    /**
     * The database the monitoring connection opens (default {@code postgres}), as a DSN names it:
     * postgres_exporter's and CloudNativePG's queries run there; database-scoped ones visit every database.
     */
    public PostgresServers monitorDatabase(String database) {
        this.monitorDatabase = Objects.requireNonNull(database, "database");
        return this;
    }

    public String monitorDatabase() {
        return monitorDatabase;
    }

    /** The majors, in the order given. */
    public List<Integer> majors() {
        return targets.stream().map(Target::major).toList();
    }

    /** The server of that major, started on first use. */
    public PostgresServer server(int major) {
        Target target = targets.stream()
                .filter(t -> t.major() == major)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no PostgreSQL " + major + " among " + majors()));
        return start(target);
    }

    /** Every server, in the order of the majors, each started on first use. */
    public List<PostgresServer> all() {
        return targets.stream().map(this::start).toList();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        store = context.getRoot().getStore(NAMESPACE);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        store = context.getRoot().getStore(NAMESPACE);
    }

    private PostgresServer start(Target target) {
        ExtensionContext.Store current = store;
        if (current == null) {
            throw new IllegalStateException("PostgresServers is not registered: declare it as"
                    + " @RegisterExtension static final PostgresServers servers = ...");
        }
        String key = target.describe() + " " + serverConfig + " " + setup;
        return current.getOrComputeIfAbsent(key, k -> new Running(startNow(target)), Running.class)
                .server();
    }

    private PostgresServer startNow(Target target) {
        PostgresServer server = target.image() == null
                ? EmbeddedServer.start(target.major(), serverConfig)
                : ContainerServer.start(target.image(), target.major(), serverConfig);
        try {
            for (Setup s : setup) {
                server.execute(s.database(), s.statements().toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Stops a server when JUnit closes the root store, at the end of the test run. */
    @SuppressWarnings("deprecation") // CloseableResource: JUnit before 5.13 (Spring Boot 3.5's) closes only these
    private record Running(PostgresServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
