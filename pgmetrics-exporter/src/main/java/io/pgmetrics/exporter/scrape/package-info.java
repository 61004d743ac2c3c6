/**
 * What one configuration runs: its catalogs (built-in and custom queries), its targets and a
 * {@code Generation} holding them until a reload swaps in the next; the scraper that collects them; the
 * exporter's own metrics. Public for the exporter's own packages only; not an API for users.
 */
package io.pgmetrics.exporter.scrape;
