package io.pgmetrics.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmetrics.testing.PgServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example service on a real PostgreSQL: its own meter and the database's metrics on one endpoint. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopServiceApplicationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
    static void shopDatabase(DynamicPropertyRegistry registry) {
        registry.add("SHOP_DATABASE_URL", () -> pg.jdbcUrl("postgres") + "?user=postgres&password=postgres");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void ordersAndTheDatabaseOnOneEndpoint() throws Exception {
        send(HttpRequest.newBuilder(uri("/orders?customer=ada&amount=12.50"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        String scrape = send(HttpRequest.newBuilder(uri("/actuator/prometheus")));

        assertThat(scrape).containsPattern("(?m)^shop_orders_placed_total(\\{[^}]*})? 1\\.0$");
        assertThat(scrape).containsPattern("(?m)^pg_up(\\{[^}]*})? 1\\.0$");
        assertThat(scrape).containsPattern("(?m)^pg_stat_database_xact_commit_total\\{[^}]*datname=\"postgres\"");
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/health/pgmetrics"))))
                .contains("\"status\":\"UP\"");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
