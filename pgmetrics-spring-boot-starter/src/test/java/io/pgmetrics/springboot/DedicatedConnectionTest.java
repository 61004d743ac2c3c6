package io.pgmetrics.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.connect.Dsn;
import org.junit.jupiter.api.Test;

/** pgmetrics.connection.*: the username and password properties win over the url's, and no password shows. */
class DedicatedConnectionTest {

    private static Dsn dedicated(String url, String username, String password) {
        PgMetricsProperties.Connection c = new PgMetricsProperties.Connection();
        c.setUrl(url);
        c.setUsername(username);
        c.setPassword(password);
        return PgMetricsAutoConfiguration.dedicated(c);
    }

    @Test
    void theUrlAlone() {
        Dsn dsn = dedicated("jdbc:postgresql://db:5433/app?user=mon&password=in-url-7", null, null);

        assertThat(dsn.user()).contains("mon");
        assertThat(dsn.password().orElseThrow().reveal()).isEqualTo("in-url-7");
        assertThat(dsn.redacted()).isEqualTo("postgresql://mon:****@db:5433/app");
    }

    @Test
    void propertiesOverrideTheUrlsCredentials() {
        Dsn dsn = dedicated("postgresql://mon:in-url-7@db/app", "pgm_monitor", "from-property-8");

        assertThat(dsn.user()).contains("pgm_monitor");
        assertThat(dsn.password().orElseThrow().reveal()).isEqualTo("from-property-8");
        assertThat(dsn.database()).isEqualTo("app");
    }

    @Test
    void aPasswordAloneKeepsTheUrlsUser() {
        Dsn dsn = dedicated("postgresql://mon@db/app", null, "from-property-8");

        assertThat(dsn.user()).contains("mon");
        assertThat(dsn.password().orElseThrow().reveal()).isEqualTo("from-property-8");
    }

    @Test
    void aBadUrlNamesThePropertyButNotThePassword() {
        assertThatThrownBy(() -> dedicated("postgresql://mon:Secret-In-Url-9@db:notaport/app", null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pgmetrics.connection.url: ")
                .hasMessageNotContaining("Secret-In-Url-9");
    }
}
