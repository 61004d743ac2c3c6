/**
 * Log output in postgres_exporter's formats (logfmt, JSON) and the redaction that keeps passwords out of
 * every message. Public for the exporter's own packages only; not an API for users.
 */
package io.pgmetrics.exporter.logging;
