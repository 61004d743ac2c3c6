package io.pgmetrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.PromText;

/** A few metrics of the built-in catalog that every PostgreSQL server the tests start must show. */
final class CatalogExpectations {

    private CatalogExpectations() {}

    static void assertCatalogMetrics(String exposition, ChildJvm host) {
        assertThat(PromText.firstValue(exposition, "pg_database_size_bytes", "datname=\"postgres\""))
                .as("pg_database_size_bytes of postgres in\n%s\n%s", exposition, host.output())
                .isPresent();
        assertThat(PromText.firstValue(exposition, "pg_stat_database_numbackends", "datname=\"postgres\""))
                .as("pg_stat_database_numbackends of postgres")
                .isPresent();
    }
}
