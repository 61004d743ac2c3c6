/**
 * Not API: may change in any release. Public only so that pgmetrics' own modules (the exporter, the agent,
 * the Spring Boot starter) can use it; depend on the packages outside {@code io.pgmetrics.core.internal}.
 *
 * <p>The YAML tree, its typed getters and the error texts that the catalog readers of {@code
 * io.pgmetrics.core.yaml} and the exporter's configuration files share.
 */
package io.pgmetrics.core.internal.yaml;
