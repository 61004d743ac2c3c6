package io.pgmetrics.springboot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.core.PgMetrics;
import io.pgmetrics.queries.BuiltinCatalog;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/** An application that defines its own PgMetrics keeps it: the starter only binds it and checks its health. */
@SpringBootTest(
        classes = {TestApplication.class, UserPgMetricsBeanTest.OwnPgMetrics.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UserPgMetricsBeanTest extends RealPostgres {

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnPgMetrics {
        @Bean
        PgMetrics ownPgMetrics(DataSource dataSource) {
            // the database sizes only
            return PgMetrics.builder()
                    .dataSource(dataSource)
                    .catalog(BuiltinCatalog.load().filter(q -> q.collector().equals("database")))
                    .build();
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void theStarterBacksOffAndPublishesTheApplicationsInstance() {
        assertThat(context.getBeansOfType(PgMetrics.class)).containsOnlyKeys("ownPgMetrics");

        String scrape = new Actuator(port).prometheus();

        assertThat(Actuator.sample(scrape, "pg_up", "")).contains(1.0);
        assertThat(Actuator.sample(scrape, "pg_database_size_bytes", "datname=\"postgres\""))
                .isPresent();
        assertThat(scrape).doesNotContain("pg_stat_database_xact_commit");
        assertThat(new Actuator(port).get("/actuator/health")).contains("\"status\":\"UP\"");
    }
}
