/**
 * Not API: may change in any release. Public only so that pgmetrics' own modules (the exporter, the agent,
 * the Spring Boot starter) can use it; depend on the packages outside {@code io.pgmetrics.core.internal}.
 *
 * <p>What the publishers share: the snapshot converter (also the exporter's OpenMetrics path) and the series
 * cache of the Dropwizard and Micrometer publishers.
 */
package io.pgmetrics.core.internal.publish;
