package io.pgmetrics.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts PostgreSQL in a container with Testcontainers: an official image or the user's own (with their
 * extensions). Only this class touches Testcontainers, so the kit works without it on the classpath.
 */
final class ContainerServer {

    private ContainerServer() {}

    static PostgresServer start(String image, int major, Map<String, String> serverConfig) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            // skipped, not failed: a machine without a container engine cannot tell whether the queries work
            throw new TestAbortedException("no container engine here, so " + image + " cannot run");
        }
        PostgreSQLContainer container =
                new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
        if (!serverConfig.isEmpty()) {
            List<String> command = new ArrayList<>(List.of("postgres"));
            serverConfig.forEach((key, value) -> command.addAll(List.of("-c", key + "=" + value)));
            container.withCommand(command.toArray(String[]::new));
        }
        container.start();
        PostgresServer server = new PostgresServer(
                container.getHost(),
                container.getMappedPort(5432),
                container.getUsername(),
                container.getPassword(),
                image,
                container::stop);
        if (server.major() != major) {
            server.close();
            throw new IllegalStateException(
                    "image " + image + " was expected to run PostgreSQL " + major + ", but it runs " + server);
        }
        return server;
    }
}
