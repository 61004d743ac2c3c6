/**
 * Not API: may change in any release. Public only so that pgmetrics' own modules (the exporter, the agent,
 * the Spring Boot starter) can use it; depend on the packages outside {@code io.pgmetrics.core.internal}.
 *
 * <p>The collection engine: planning, the query lanes, row mapping, self-metrics and {@link
 * io.pgmetrics.core.internal.engine.FamilySet}. Embedders reach it through {@link
 * io.pgmetrics.core.PgMetrics}.
 */
package io.pgmetrics.core.internal.engine;
