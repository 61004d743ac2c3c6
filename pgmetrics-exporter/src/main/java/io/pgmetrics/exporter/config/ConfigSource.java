package io.pgmetrics.exporter.config;

/**
 * Where a configuration comes from, read afresh on every call: at start and on each reload (SIGHUP,
 * POST /-/reload), so a changed file or secret is picked up. A mistake is thrown and the running
 * configuration keeps serving.
 */
@FunctionalInterface
public interface ConfigSource {
    ExporterConfig load() throws ConfigException;
}
