/**
 * {@code /probe?target=}: its parameters, the hosts it may reach, postgres_exporter's auth modules and
 * the kept targets with their connection budget. Public for the exporter's own packages only; not an
 * API for users.
 */
package io.pgmetrics.exporter.probe;
