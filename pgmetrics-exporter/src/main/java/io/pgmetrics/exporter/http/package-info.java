/**
 * The HTTP front: the metrics endpoint and landing page, the response body (text or OpenMetrics,
 * gzip), the scrape budget from Prometheus' timeout header, and the connection guard that bounds what
 * one client may hold. TLS and basic auth are in {@code web}. Public for the exporter's own packages
 * only; not an API for users.
 */
package io.pgmetrics.exporter.http;
