/**
 * The exporter's configuration: {@link io.pgmetrics.exporter.config.ExporterConfig} and its parts by
 * concern (http, targets, queries, limits, probe, log), each with its defaults; how flags, environment
 * variables and the config file resolve into it ({@code ConfigLoader}, {@code Layers}, {@code Setting});
 * and the java agent's entry ({@link io.pgmetrics.exporter.config.EnvironmentConfig}). The records,
 * {@code ConfigSource}, {@code ConfigException}, {@code EnvironmentConfig}, {@code HttpLimits} and
 * {@code TargetSpec} are for users; the rest is public for the exporter's own packages only.
 */
package io.pgmetrics.exporter.config;
