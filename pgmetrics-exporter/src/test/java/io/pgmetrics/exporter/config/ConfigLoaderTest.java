package io.pgmetrics.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.catalog.NamingProfile;
import io.pgmetrics.exporter.scrape.Catalogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    final List<String> notes = new ArrayList<>();

    ExporterConfig load(Map<String, List<String>> flags, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(flags, env, KnownCollectors.settings(Catalogs.builtin()), notes::add).load();
    }

    @Test
    void defaultsAreThoseOfPostgresExporter() throws Exception {
        ExporterConfig c = load(Map.of(), Map.of());
        assertThat(c.http().listenAddresses()).hasSize(1);
        assertThat(c.http().listenAddresses().get(0).getPort()).isEqualTo(9187);
        assertThat(c.http().telemetryPath()).isEqualTo("/metrics");
        assertThat(c.limits().collectionTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.queries().metricPrefix()).isEqualTo("pg");
        assertThat(c.queries().namingProfile()).isEqualTo(NamingProfile.COMPAT);
        assertThat(c.limits().maxConnectionsPerTarget()).isEqualTo(5);
        assertThat(c.limits().loginCheckInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.limits().databaseRefreshInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.probe().authModulesFile()).contains(Path.of("postgres_exporter.yml"));
        assertThat(c.probe().authModulesFileRequired()).isFalse();
        assertThat(c.targets()).isEmpty();
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path file = Files.writeString(dir.resolve("pgmetrics.yml"), """
                timeouts:
                  collection: 20s
                  query: 3s
                connections:
                  max_per_target: 3
                  login_check_interval: 2m
                  database_refresh_interval: 5m
                metric_prefix: fromfile
                web:
                  telemetry_path: /file-metrics
                constant_labels: {team: db}
                collectors:
                  wal: false
                  stat_statements: true
                parameters:
                  stat_statements.limit: 7
                targets:
                  - postgresql://filehost/db
                  - dsn: host=other dbname=x
                    user: u
                    password_file: pw
                probe:
                  allowed_targets: ["*.db.example.com", "10.0.0.0/8"]
                """);
        Files.writeString(dir.resolve("pw"), "filepw\n");
        Map<String, String> env = new HashMap<>(Map.of(
                "PGMETRICS_CONFIG",
                file.toString(),
                "PG_EXPORTER_COLLECTION_TIMEOUT",
                "30s",
                "PG_EXPORTER_METRIC_PREFIX",
                "fromenv"));
        ExporterConfig c =
                load(Map.of("--collection-timeout", List.of("45s"), "--collector.wal", List.of("true")), env);
        assertThat(c.limits().collectionTimeout()).isEqualTo(Duration.ofSeconds(45)); // flag
        assertThat(c.queries().metricPrefix()).isEqualTo("fromenv"); // env
        assertThat(c.limits().queryTimeout()).isEqualTo(Duration.ofSeconds(3)); // file
        assertThat(c.http().telemetryPath()).isEqualTo("/file-metrics");
        assertThat(c.queries().constantLabels()).containsEntry("team", "db");
        assertThat(c.queries().collectors()).containsEntry("wal", true).containsEntry("stat_statements", true);
        assertThat(c.queries().parameters()).containsEntry("stat_statements.limit", "7");
        assertThat(c.targets())
                .extracting(TargetSpec::dsn)
                .containsExactly("postgresql://filehost/db", "host=other dbname=x");
        assertThat(c.targets().get(1).password()).contains("filepw");
        assertThat(c.targets().get(1).origin()).startsWith(file + ":");
        assertThat(c.probe().allowedTargets()).containsExactly("*.db.example.com", "10.0.0.0/8");
        assertThat(c.limits().maxConnectionsPerTarget()).isEqualTo(3);
        assertThat(c.limits().loginCheckInterval()).isEqualTo(Duration.ofMinutes(2));
        env.put("PGMETRICS_LOGIN_CHECK_INTERVAL", "30s");
        assertThat(load(Map.of(), env).limits().loginCheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(load(Map.of("--pgmetrics.login-check-interval", List.of("10s")), env)
                        .limits()
                        .loginCheckInterval())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(c.limits().databaseRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
        env.put("PGMETRICS_DATABASE_REFRESH_INTERVAL", "0s");
        assertThat(load(Map.of(), env).limits().databaseRefreshInterval()).isEqualTo(Duration.ZERO);
        assertThat(load(Map.of("--pgmetrics.database-refresh-interval", List.of("90s")), env)
                        .limits()
                        .databaseRefreshInterval())
                .isEqualTo(Duration.ofSeconds(90));
        // the environment's data source wins over the file's targets
        env.put("DATA_SOURCE_NAME", "postgresql://envhost/db");
        assertThat(load(Map.of(), env).targets())
                .extracting(TargetSpec::dsn)
                .containsExactly("postgresql://envhost/db");
    }

    @Test
    void mistakesSayWhereAndWhatIsExpected() throws Exception {
        assertThatThrownBy(() -> load(Map.of("--collection-timeout", List.of("soon")), Map.of()))
                .hasMessage(
                        "flag --collection-timeout: 'soon' is not a duration; write a number with a unit, e.g. 500ms, 30s, 2m, 1h or 1m30s");
        assertThatThrownBy(() -> load(Map.of(), Map.of("PG_EXPORTER_DISABLE_DEFAULT_METRICS", "maybe")))
                .hasMessage(
                        "environment variable PG_EXPORTER_DISABLE_DEFAULT_METRICS: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> load(Map.of("--constantLabels", List.of("a=1,oops")), Map.of()))
                .hasMessageContaining("'oops' is not name=value");
        assertThatThrownBy(() -> load(Map.of("--web.listen-address", List.of("9187")), Map.of()))
                .hasMessageContaining("has no port");
        assertThatThrownBy(() -> load(Map.of("--naming.profile", List.of("loose")), Map.of()))
                .hasMessageContaining("expected one of compat, strict");
        assertThatThrownBy(() -> load(Map.of("--pgmetrics.database-refresh-interval", List.of("-1m")), Map.of()))
                .hasMessageStartingWith("flag --pgmetrics.database-refresh-interval: ");
        Path bad = Files.writeString(dir.resolve("bad.yml"), "timeouts:\n  collection: 10s\n  colection: 5s\n");
        assertThatThrownBy(() -> load(Map.of("--pgmetrics.config", List.of(bad.toString())), Map.of()))
                .hasMessage(
                        bad
                                + ":3:3: unknown key 'colection' in timeouts; known keys: collection, query, scrape_default; did you mean 'collection'?");
        Path badValue = Files.writeString(dir.resolve("bad2.yml"), "log:\n  level: info\ntimeouts:\n  query: fast\n");
        assertThatThrownBy(() -> load(Map.of("--pgmetrics.config", List.of(badValue.toString())), Map.of()))
                .hasMessageStartingWith(badValue + ":4:10: timeouts.query: 'fast' is not a duration");
        Path unknownCollector = Files.writeString(dir.resolve("bad3.yml"), "collectors:\n  walz: true\n");
        assertThatThrownBy(() -> load(Map.of("--pgmetrics.config", List.of(unknownCollector.toString())), Map.of()))
                .hasMessageStartingWith(unknownCollector + ":2:3: collectors.walz: no such collector");
        assertThatThrownBy(() -> load(
                        Map.of(
                                "--pgmetrics.config",
                                List.of(dir.resolve("none.yml").toString())),
                        Map.of()))
                .hasMessageEndingWith("none.yml: the file does not exist; check the path");
    }

    @Test
    void deprecatedSettingsFlagTurnsTheSettingsCollectorOff() throws Exception {
        ExporterConfig c = load(Map.of("--disable-settings-metrics", List.of("true")), Map.of());
        assertThat(c.queries().collectors()).containsEntry("settings", false);
        assertThat(notes).singleElement().asString().contains("deprecated").contains("--no-collector.settings");
    }

    @Test
    void excludeDatabasesAlsoReachesTheDatabaseCollector() throws Exception {
        ExporterConfig c = load(Map.of(), Map.of("PG_EXPORTER_EXCLUDE_DATABASES", "rdsadmin,template_x"));
        assertThat(c.queries().excludeDatabases()).containsExactly("rdsadmin", "template_x");
        assertThat(c.queries().parameters()).containsEntry("database.exclude_databases", "rdsadmin,template_x");
    }

    @Test
    void authModulesAreStrictAndMayReadPasswordsFromFiles() throws Exception {
        Files.writeString(dir.resolve("secret"), "pw-from-file\n");
        Path ok = Files.writeString(dir.resolve("pe.yml"), """
                auth_modules:
                  ro:
                    type: userpass
                    userpass: {username: mon, password_file: secret}
                    options: {sslmode: require}
                """);
        AuthModules.Module m = AuthModules.load(ok).get("ro");
        assertThat(m.password()).isEqualTo("pw-from-file");
        assertThat(m.options()).containsEntry("sslmode", "require");
        assertThat(m.toString()).doesNotContain("pw-from-file");
        Path bad = Files.writeString(
                dir.resolve("pe2.yml"), "auth_modules:\n  ro:\n    type: userpass\n    userpas: {}\n");
        assertThatThrownBy(() -> AuthModules.load(bad))
                .hasMessageStartingWith(
                        bad
                                + ":4:5: unknown key 'userpas' in auth_modules.ro; known keys: allowed_targets, options, type, userpass");
        Path badType = Files.writeString(dir.resolve("pe3.yml"), "auth_modules:\n  ro:\n    type: token\n");
        assertThatThrownBy(() -> AuthModules.load(badType)).hasMessageContaining("'token' is not supported");
    }

    @Test
    void probeAllowListAndHttpLimitsComeFromFlagEnvironmentOrFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pgmetrics.yml"), """
                probe:
                  allowed_targets: [db1.internal, 10.0.0.0/8]
                web:
                  max_connections: 40
                  read_timeout: 3s
                """);
        Map<String, List<String>> withFile = Map.of("--pgmetrics.config", List.of(file.toString()));
        ExporterConfig fromFile = load(withFile, Map.of());
        assertThat(fromFile.probe().allowedTargets()).containsExactly("db1.internal", "10.0.0.0/8");
        assertThat(fromFile.http().limits()).isEqualTo(new HttpLimits(40, Duration.ofSeconds(3)));
        assertThat(fromFile.probe().enabled()).isTrue();
        assertThat(load(withFile, Map.of("PG_EXPORTER_PROBE_ALLOWED_TARGETS", "*.db.example.com,db2"))
                        .probe()
                        .allowedTargets())
                .containsExactly("*.db.example.com", "db2");
        Map<String, List<String>> flags = new HashMap<>(withFile);
        flags.put("--probe.allowed-targets", List.of("db3"));
        assertThat(load(flags, Map.of("PG_EXPORTER_PROBE_ALLOWED_TARGETS", "db2"))
                        .probe()
                        .allowedTargets())
                .containsExactly("db3");
        assertThatThrownBy(() -> load(Map.of(), Map.of("PG_EXPORTER_PROBE_ALLOWED_TARGETS", "db/x")))
                .hasMessageContaining(
                        "environment variable PG_EXPORTER_PROBE_ALLOWED_TARGETS: 'db/x' is not a host name");
        assertThat(load(Map.of(), Map.of()).http().limits()).isEqualTo(HttpLimits.DEFAULT);
        assertThat(load(Map.of(), Map.of("PGMETRICS_PROBE_ENABLED", "false"))
                        .probe()
                        .enabled())
                .isFalse();
    }

    @Test
    void anAuthModuleMayNameItsOwnAllowedHosts() throws Exception {
        Path modules = Files.writeString(dir.resolve("pe.yml"), """
                auth_modules:
                  ro:
                    type: userpass
                    userpass: {username: mon, password: pw}
                    allowed_targets: [db1.internal, 10.1.0.0/16]
                """);
        assertThat(AuthModules.load(modules).get("ro").allowedTargets()).containsExactly("db1.internal", "10.1.0.0/16");
        Path bad = Files.writeString(
                dir.resolve("pe2.yml"), "auth_modules:\n  ro:\n    type: userpass\n    allowed_targets: ['a b']\n");
        assertThatThrownBy(() -> AuthModules.load(bad))
                .hasMessageContaining("auth_modules.ro.allowed_targets: 'a b' is not a host name");
    }

    @Test
    void probeBudgetAndIdleTimeComeFromFlagEnvironmentOrFile() throws Exception {
        ExporterConfig d = load(Map.of(), Map.of());
        assertThat(d.probe().maxConnections()).isEqualTo(500);
        assertThat(d.probe().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
        Path file = Files.writeString(dir.resolve("probe.yml"), """
                probe:
                  max_connections: 300
                  idle_timeout: 2m
                """);
        Map<String, String> env = new HashMap<>(Map.of("PGMETRICS_CONFIG", file.toString()));
        ExporterConfig c = load(Map.of(), env);
        assertThat(c.probe().maxConnections()).isEqualTo(300);
        assertThat(c.probe().cacheTtl()).isEqualTo(Duration.ofMinutes(2));
        env.put("PG_EXPORTER_PROBE_MAX_CONNECTIONS", "200");
        env.put("PG_EXPORTER_PROBE_IDLE_TIMEOUT", "90s");
        assertThat(load(Map.of(), env).probe().maxConnections()).isEqualTo(200);
        assertThat(load(Map.of(), env).probe().cacheTtl()).isEqualTo(Duration.ofSeconds(90));
        ExporterConfig f =
                load(Map.of("--probe.max-connections", List.of("100"), "--probe.idle-timeout", List.of("1m")), env);
        assertThat(f.probe().maxConnections()).isEqualTo(100);
        assertThat(f.probe().cacheTtl()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> load(Map.of("--probe.max-connections", List.of("4")), Map.of()))
                .hasMessage("flag --probe.max-connections: 4 is below one target's connections (5, "
                        + "--pgmetrics.max-connections)");
    }
}
