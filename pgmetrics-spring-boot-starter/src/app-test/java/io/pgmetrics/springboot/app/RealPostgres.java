package io.pgmetrics.springboot.app;

import io.pgmetrics.testing.PgServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real PostgreSQL per test class (with the pg_monitor role {@value PgServer#MONITOR_USER}); its port reaches the
 * application as {@code test.pg.port}, which application.properties' datasource URL refers to.
 */
abstract class RealPostgres {

    static PgServer pg;

    @BeforeAll
    static void startPostgres() {
        pg = PgServer.start(PgServer.defaultMajor());
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @DynamicPropertySource
    static void postgresPort(DynamicPropertyRegistry registry) {
        registry.add("test.pg.port", () -> pg.port());
    }
}
