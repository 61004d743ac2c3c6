/**
 * Not API: may change in any release. Public only so that pgmetrics' own modules (the exporter, the agent,
 * the Spring Boot starter) can use it; depend on the packages outside {@code io.pgmetrics.core.internal}.
 *
 * <p>How the engine and the pool tell a lost connection from a failed query.
 */
package io.pgmetrics.core.internal.connect;
