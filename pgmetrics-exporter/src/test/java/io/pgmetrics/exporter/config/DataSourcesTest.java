package io.pgmetrics.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {

    @TempDir
    Path dir;

    static List<String> dsns(Map<String, String> env) throws ConfigException {
        return DataSources.resolve(env).stream().map(TargetSpec::dsn).toList();
    }

    @Test
    void dataSourceNameIsACommaListThatDoesNotSplitInsideQuotesQueriesOrHostLists() throws Exception {
        assertThat(DataSources.split("postgresql://a/db,postgresql://b/db"))
                .containsExactly("postgresql://a/db", "postgresql://b/db");
        assertThat(DataSources.split("host=a dbname=x, host=b password='p,w'"))
                .containsExactly("host=a dbname=x", "host=b password='p,w'");
        assertThat(DataSources.split("postgresql://u@h1,h2:5433/db?options=-c%20a%3Db,sslmode=disable"))
                .containsExactly("postgresql://u@h1,h2:5433/db?options=-c%20a%3Db,sslmode=disable");
        assertThat(DataSources.split("postgres://a/x?sslmode=disable,host=b"))
                .containsExactly("postgres://a/x?sslmode=disable,host=b");
        assertThat(DataSources.split("host=a,host=b")).containsExactly("host=a", "host=b");
        assertThat(DataSources.split(" postgresql://a/db , ,")).containsExactly("postgresql://a/db");
        assertThat(dsns(Map.of(
                        "DATA_SOURCE_NAME",
                        "postgresql://a/db,jdbc:postgresql://b/db",
                        "DATA_SOURCE_URI",
                        "ignored:5432/x")))
                .containsExactly("postgresql://a/db", "jdbc:postgresql://b/db");
    }

    @Test
    void uriUserAndPasswordAreEscapedAndFilesWin() throws Exception {
        assertThat(dsns(Map.of(
                        "DATA_SOURCE_URI",
                        "db:5432/app?sslmode=disable",
                        "DATA_SOURCE_USER",
                        "me",
                        "DATA_SOURCE_PASS",
                        "p@ss:w/rd")))
                .containsExactly("postgresql://me:p%40ss%3Aw%2Frd@db:5432/app?sslmode=disable");
        Path pass = Files.writeString(dir.resolve("pass"), "from-file\n");
        Path user = Files.writeString(dir.resolve("user"), " fileuser ");
        assertThat(dsns(Map.of(
                        "DATA_SOURCE_URI",
                        "db/app",
                        "DATA_SOURCE_USER",
                        "me",
                        "DATA_SOURCE_USER_FILE",
                        user.toString(),
                        "DATA_SOURCE_PASS",
                        "plain",
                        "DATA_SOURCE_PASS_FILE",
                        pass.toString())))
                .containsExactly("postgresql://fileuser:from-file@db/app");
        assertThat(dsns(Map.of("DATA_SOURCE_URI", "db/app"))).containsExactly("postgresql://:@db/app");
        assertThat(dsns(Map.of("DATA_SOURCE_USER", "me", "DATA_SOURCE_PASS", "x")))
                .isEmpty();
        assertThatThrownBy(() -> dsns(Map.of(
                        "DATA_SOURCE_URI",
                        "db/app",
                        "DATA_SOURCE_PASS_FILE",
                        dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable DATA_SOURCE_PASS_FILE: cannot read");
    }

    @Test
    void kubernetesPartsApplyOnlyWithoutDataSourceVariables() throws Exception {
        Path pass = Files.writeString(dir.resolve("pw"), "s3cret\n");
        assertThat(dsns(Map.of("POSTGRES_USER", "mon", "POSTGRES_PASSWORD_FILE", pass.toString())))
                .containsExactly(
                        "postgresql://mon:s3cret@postgres.services.svc.cluster.local:5432/postgres?sslmode=disable");
        assertThat(dsns(Map.of(
                        "POSTGRES_HOST",
                        "db.ns",
                        "POSTGRES_PORT",
                        "6432",
                        "POSTGRES_SSLMODE",
                        "require",
                        "POSTGRES_DB",
                        "app",
                        "POSTGRES_USER",
                        "mon",
                        "POSTGRES_PASSWORD",
                        "a b")))
                .containsExactly("postgresql://mon:a%20b@db.ns:6432/app?sslmode=require");
        assertThat(dsns(Map.of("POSTGRES_HOST", "db.ns", "DATA_SOURCE_NAME", "postgresql://x/y")))
                .containsExactly("postgresql://x/y");
        assertThatThrownBy(() -> dsns(Map.of("POSTGRES_PORT", "fivefour"))).hasMessageContaining("POSTGRES_PORT");
        assertThat(dsns(Map.of())).isEmpty();
    }
}
