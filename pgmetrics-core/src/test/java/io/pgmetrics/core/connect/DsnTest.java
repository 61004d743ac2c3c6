package io.pgmetrics.core.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DsnTest {

    /** What a DSN should read as. {@code password} null means none. */
    record Expected(
            List<HostPort> hosts, String database, String user, String password, Map<String, String> parameters) {}

    private static Expected expect(String hosts, String database, String user, String password, String... params) {
        List<HostPort> hostList =
                Stream.of(hosts.split(" ")).map(DsnTest::hostPort).toList();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.put(params[i], params[i + 1]);
        }
        return new Expected(hostList, database, user, password, map);
    }

    private static HostPort hostPort(String s) {
        int colon = s.lastIndexOf(':');
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host, Integer.parseInt(s.substring(colon + 1)));
    }

    static Stream<Arguments> realWorldDsns() {
        return Stream.of(
                // libpq URLs (the examples of the libpq manual, and what exporter users write)
                Arguments.of("postgresql://", expect("localhost:5432", "postgres", null, null)),
                Arguments.of("postgresql://localhost", expect("localhost:5432", "postgres", null, null)),
                Arguments.of("postgresql://localhost:5433", expect("localhost:5433", "postgres", null, null)),
                Arguments.of("postgresql://localhost/mydb", expect("localhost:5432", "mydb", null, null)),
                Arguments.of("postgresql://user@localhost", expect("localhost:5432", "user", "user", null)),
                Arguments.of("postgresql://user:secret@localhost", expect("localhost:5432", "user", "user", "secret")),
                Arguments.of(
                        "postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp",
                        expect(
                                "localhost:5432",
                                "otherdb",
                                "other",
                                null,
                                "connect_timeout",
                                "10",
                                "application_name",
                                "myapp")),
                Arguments.of(
                        "postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp",
                        expect(
                                "host1:123 host2:456",
                                "somedb",
                                null,
                                null,
                                "target_session_attrs",
                                "any",
                                "application_name",
                                "myapp")),
                Arguments.of("postgresql://host1,host2:5433/db", expect("host1:5432 host2:5433", "db", null, null)),
                Arguments.of(
                        "postgresql://[2001:db8::1234]/database",
                        expect("[2001:db8::1234]:5432", "database", null, null)),
                Arguments.of("postgresql://[::1]:5433,db2/x", expect("[::1]:5433 db2:5432", "x", null, null)),
                Arguments.of(
                        "postgresql:///mydb?host=localhost&port=5433", expect("localhost:5433", "mydb", null, null)),
                Arguments.of(
                        "postgresql:///dbname?host=/var/lib/postgresql",
                        expect("/var/lib/postgresql:5432", "dbname", null, null)),
                Arguments.of(
                        "postgresql://%2Fvar%2Flib%2Fpostgresql/dbname",
                        expect("/var/lib/postgresql:5432", "dbname", null, null)),
                Arguments.of("postgresql://db:6000/app?host=/run/pg", expect("/run/pg:6000", "app", null, null)),
                Arguments.of(
                        "postgres://u%40corp:p%3Aw%2Fd@db.example.com:6432/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem",
                        expect(
                                "db.example.com:6432",
                                "app",
                                "u@corp",
                                "p:w/d",
                                "sslmode",
                                "verify-full",
                                "sslrootcert",
                                "/etc/ssl/ca.pem")),
                Arguments.of("postgresql://u:pa@ss@h/db", expect("h:5432", "db", "u", "pa@ss")),
                Arguments.of("postgresql://u:a+b@h", expect("h:5432", "u", "u", "a+b")),
                // postgres_exporter builds this from empty DATA_SOURCE_USER/PASS
                Arguments.of(
                        "postgresql://:@localhost:5432/postgres?sslmode=disable",
                        expect("localhost:5432", "postgres", null, null, "sslmode", "disable")),
                Arguments.of("postgresql://h/db?ssl=true", expect("h:5432", "db", null, null, "sslmode", "require")),
                Arguments.of(
                        "postgresql://h/db?user=bob&password=x&dbname=other", expect("h:5432", "other", "bob", "x")),
                Arguments.of(
                        "postgresql://h?options=-c%20statement_timeout%3D5s",
                        expect("h:5432", "postgres", null, null, "options", "-c statement_timeout=5s")),
                Arguments.of("POSTGRESQL://H/db", expect("H:5432", "db", null, null)),
                Arguments.of("  postgresql://h/db  ", expect("h:5432", "db", null, null)),
                // libpq key=value
                Arguments.of(
                        "host=db port=5432 user=u password='a b\\'c' dbname=x sslmode=require",
                        expect("db:5432", "x", "u", "a b'c", "sslmode", "require")),
                Arguments.of(
                        "host=localhost port=5432 dbname=mydb connect_timeout=10",
                        expect("localhost:5432", "mydb", null, null, "connect_timeout", "10")),
                Arguments.of(
                        "host = /var/run/postgresql user=postgres",
                        expect("/var/run/postgresql:5432", "postgres", "postgres", null)),
                Arguments.of(
                        "host=h1,h2 port=5432,5433 target_session_attrs=read-write",
                        expect("h1:5432 h2:5433", "postgres", null, null, "target_session_attrs", "read-write")),
                Arguments.of("host=h1,h2,h3 port=5433", expect("h1:5433 h2:5433 h3:5433", "postgres", null, null)),
                Arguments.of("host=::1 user=alice", expect("[::1]:5432", "alice", "alice", null)),
                Arguments.of("user=alice", expect("localhost:5432", "alice", "alice", null)),
                Arguments.of("password=a\\ b\\\\c user=x", expect("localhost:5432", "x", "x", "a b\\c")),
                Arguments.of("dbname='' user=u password=''", expect("localhost:5432", "u", "u", null)),
                Arguments.of(
                        "hostaddr=10.0.0.5 application_name='my app'",
                        expect("10.0.0.5:5432", "postgres", null, null, "application_name", "my app")),
                Arguments.of("host=a host=b", expect("b:5432", "postgres", null, null)),
                Arguments.of(
                        "host=db keepalives_idle=30 client_encoding=UTF8",
                        expect("db:5432", "postgres", null, null, "keepalives_idle", "30", "client_encoding", "UTF8")),
                // pgjdbc URLs
                Arguments.of(
                        "jdbc:postgresql://localhost:5432/db?user=u&password=p",
                        expect("localhost:5432", "db", "u", "p")),
                Arguments.of("jdbc:postgresql:mydb", expect("localhost:5432", "mydb", null, null)),
                Arguments.of("jdbc:postgresql:/", expect("localhost:5432", "postgres", null, null)),
                Arguments.of(
                        "jdbc:postgresql://h1,h2:5433/db?targetServerType=primary&ApplicationName=my+app",
                        expect(
                                "h1:5432 h2:5433",
                                "db",
                                null,
                                null,
                                "targetServerType",
                                "primary",
                                "ApplicationName",
                                "my app")),
                Arguments.of("jdbc:postgresql://[::1]:5740/accounting", expect("[::1]:5740", "accounting", null, null)),
                Arguments.of(
                        "jdbc:postgresql://h/db?ssl=true&preferQueryMode=simple",
                        expect("h:5432", "db", null, null, "sslmode", "verify-full", "preferQueryMode", "simple")),
                Arguments.of(
                        "jdbc:postgresql://h/db?sslmode=disable&ssl=true",
                        expect("h:5432", "db", null, null, "sslmode", "disable")),
                Arguments.of("jdbc:postgresql://h/db?ssl=false", expect("h:5432", "db", null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realWorldDsns")
    void readsRealWorldDsns(String text, Expected expected) {
        Dsn dsn = Dsn.parse(text);
        assertThat(dsn.hosts()).as("hosts").isEqualTo(expected.hosts());
        assertThat(dsn.database()).as("database").isEqualTo(expected.database());
        assertThat(dsn.user()).as("user").isEqualTo(java.util.Optional.ofNullable(expected.user()));
        assertThat(dsn.password().map(Secret::reveal))
                .as("password")
                .isEqualTo(java.util.Optional.ofNullable(expected.password()));
        assertThat(dsn.parameters()).as("parameters").containsExactlyEntriesOf(expected.parameters());
        assertThat(Dsn.parse(dsn.redacted())
                        .withCredentials(dsn.user().orElse(null), dsn.password().orElse(null)))
                .as("redacted() reads back as the same DSN")
                .isEqualTo(dsn);
    }

    @Test
    void jdbcUrlCarriesHostsAndDatabaseOnly() {
        assertThat(Dsn.parse("postgresql://u:pw@h1:5432,h2:5433/my db?sslmode=require")
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/my%20db");
        assertThat(Dsn.parse("postgresql://[::1]:6000/x").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6000/x");
        assertThat(Dsn.parse("user=alice").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/alice");
    }

    @Test
    void aUnixSocketHostBecomesLocalhostForPgjdbc() {
        Dsn dsn = Dsn.parse("postgresql:///app?host=/var/run/postgresql&port=5433");
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5433/app");
        assertThat(dsn.serverLabel()).as("the label keeps what the user wrote").isEqualTo("/var/run/postgresql:5433");
    }

    @Test
    void pgjdbcReadsTheJdbcUrlBackToTheSameDatabase() throws Exception {
        for (String db : List.of("plain", "with space", "a/b?c&d=e+f%g", "ünïcødé", "#hash")) {
            Dsn dsn = Dsn.parse("host=h1,h2 port=1,2").withDatabase(db);
            Properties parsed = org.postgresql.Driver.parseURL(dsn.jdbcUrl(), new Properties());
            assertThat(parsed).as(dsn.jdbcUrl()).isNotNull();
            assertThat(parsed.getProperty("PGDBNAME")).isEqualTo(db);
            assertThat(parsed.getProperty("PGHOST")).isEqualTo("h1,h2");
            assertThat(parsed.getProperty("PGPORT")).isEqualTo("1,2");
        }
    }

    @Test
    void propertiesTranslateLibpqNamesAndValues() {
        Properties p = Dsn.parse("postgresql://mon:pw@h/db?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.crt"
                        + "&sslkey=/c.key&connect_timeout=3&application_name=probe&target_session_attrs=read-write"
                        + "&options=-c%20work_mem%3D1MB&keepalives=0&load_balance_hosts=random&keepalives_idle=9")
                .jdbcProperties();
        assertThat(p)
                .containsEntry("user", "mon")
                .containsEntry("password", "pw")
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "/ca.pem")
                .containsEntry("sslcert", "/c.crt")
                .containsEntry("sslkey", "/c.key")
                .containsEntry("connectTimeout", "3")
                .containsEntry("ApplicationName", "probe")
                .containsEntry("targetServerType", "primary")
                .containsEntry("options", "-c work_mem=1MB")
                .containsEntry("tcpKeepAlive", "false")
                .containsEntry("loadBalanceHosts", "true")
                .doesNotContainKeys(
                        "connect_timeout",
                        "application_name",
                        "target_session_attrs",
                        "keepalives",
                        "keepalives_idle",
                        "load_balance_hosts");
    }

    @Test
    void targetSessionAttrsMapToPgjdbcServerTypes() {
        Map<String, String> expected = Map.of(
                "any",
                "any",
                "read-write",
                "primary",
                "primary",
                "primary",
                "read-only",
                "secondary",
                "standby",
                "secondary",
                "prefer-standby",
                "preferSecondary");
        expected.forEach((libpq, jdbc) -> assertThat(Dsn.parse("host=h target_session_attrs=" + libpq)
                        .jdbcProperties()
                        .getProperty("targetServerType"))
                .as(libpq)
                .isEqualTo(jdbc));
    }

    @Test
    void propertiesHaveMonitoringDefaultsUnlessTheDsnSetsThem() {
        Properties defaults = Dsn.parse("postgresql://h/db").jdbcProperties();
        assertThat(defaults)
                .containsEntry("ApplicationName", "pgmetrics")
                .containsEntry("connectTimeout", "5")
                .containsEntry("loginTimeout", "10")
                .containsEntry("socketTimeout", "60")
                .containsEntry("tcpKeepAlive", "true")
                .doesNotContainKeys("user", "password");

        Properties set = Dsn.parse("host=h connect_timeout=20 socketTimeout=0 loginTimeout=3 application_name=x")
                .jdbcProperties();
        assertThat(set)
                .containsEntry("ApplicationName", "x")
                .containsEntry("connectTimeout", "20")
                .containsEntry("socketTimeout", "0")
                .containsEntry("loginTimeout", "3");

        assertThat(Dsn.parse("host=h fallback_application_name=fb").jdbcProperties())
                .containsEntry("ApplicationName", "fb");
        assertThat(Dsn.parse("host=h fallback_application_name=fb application_name=app")
                        .jdbcProperties())
                .containsEntry("ApplicationName", "app");
        assertThat(Dsn.parse("jdbc:postgresql://h/db?ApplicationName=jdbcname").jdbcProperties())
                .containsEntry("ApplicationName", "jdbcname");
    }

    @Test
    void derivedDsnsChangeOneThing() {
        Dsn dsn = Dsn.parse("postgresql://mon:pw@h:5433/app?sslmode=require");
        assertThat(dsn.withDatabase("other").database()).isEqualTo("other");
        assertThat(dsn.withDatabase("other").hosts()).isEqualTo(dsn.hosts());
        assertThat(dsn.withDatabase(null).database())
                .as("back to the default, the user name")
                .isEqualTo("mon");
        assertThat(dsn.withDatabase("app")).isEqualTo(dsn);

        Dsn other = dsn.withCredentials("reader", new Secret("s2"));
        assertThat(other.user()).contains("reader");
        assertThat(other.password()).contains(new Secret("s2"));
        assertThat(other.parameters()).isEqualTo(dsn.parameters());
        assertThat(Dsn.parse("host=h user=a").withCredentials("b", null).database())
                .as("the default database follows the user")
                .isEqualTo("b");

        assertThat(dsn.withParameter("application_name", "x").parameters())
                .containsExactly(Map.entry("sslmode", "require"), Map.entry("application_name", "x"));
        assertThat(dsn.withParameter("sslmode", null).parameters()).isEmpty();
        assertThat(dsn.withParameter("host", "a,b").hosts())
                .containsExactly(new HostPort("a", 5433), new HostPort("b", 5433));
        assertThat(dsn.withParameter("dbname", "z").database()).isEqualTo("z");
        assertThat(dsn.withParameter("password", "new").password()).contains(new Secret("new"));
        assertThatThrownBy(() -> dsn.withParameter("sslmod", "require"))
                .isInstanceOf(DsnException.class)
                .hasMessageContaining("did you mean \"sslmode\"");
        assertThatThrownBy(() -> dsn.withParameter("sslmode", "sometimes"))
                .isInstanceOf(DsnException.class)
                .hasMessageContaining("sslmode");
    }

    @Test
    void serverLabelIsTheFirstHost() {
        assertThat(Dsn.parse("postgresql://h1:5433,h2/db").serverLabel()).isEqualTo("h1:5433");
        assertThat(Dsn.parse("postgresql://").serverLabel()).isEqualTo("localhost:5432");
        assertThat(Dsn.parse("host=::1 port=6000").serverLabel()).isEqualTo("[::1]:6000");
        assertThat(Dsn.parse("postgresql://u@h:1/db?host=/tmp").serverLabel()).isEqualTo("/tmp:1");
    }

    @Test
    void equalityIsByValue() {
        Dsn a = Dsn.parse("postgresql://u:pw@h:5432/db?sslmode=require");
        Dsn b = Dsn.parse("host=h user=u password=pw dbname=db sslmode=require");
        Dsn c = Dsn.parse("jdbc:postgresql://h/db?user=u&password=pw&sslmode=require");
        assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Dsn.parse("postgresql://u:other@h:5432/db?sslmode=require"));
        assertThat(a).isNotEqualTo(a.withParameter("sslmode", "disable"));
        assertThat(new Secret("x"))
                .isEqualTo(new Secret("x"))
                .hasSameHashCodeAs(new Secret("x"))
                .isNotEqualTo(new Secret("y"));
    }

    static Stream<Arguments> badDsns() {
        return Stream.of(
                Arguments.of("postgresql://h:54x2/db", 16, null, "port must be a number"),
                Arguments.of("postgresql://h:70000", 16, null, "port must be a number from 1 to 65535"),
                Arguments.of("postgresql://h:5432:5433", 16, null, "port"),
                Arguments.of("postgresql://[::1/db", 14, null, "not closed"),
                Arguments.of("postgresql://[::1]x/db", 19, null, "after ']'"),
                Arguments.of("postgresql://[zz]/db", 15, null, "not an IPv6 address"),
                Arguments.of("postgresql://bad host/db", 14, null, "not a host name"),
                Arguments.of("postgresql://h/db?sslmode=requir", 19, "sslmode", "use one of disable, allow"),
                Arguments.of("postgresql://h/db?sslmod=require", 19, null, "did you mean \"sslmode\""),
                Arguments.of("postgresql://h/db?applicationname=x", 19, null, "did you mean \"application_name\""),
                Arguments.of("postgresql://h/db?novalue&a=b", 19, null, "expected key=value"),
                Arguments.of("postgresql://h/db?=x", 19, null, "without a parameter name"),
                Arguments.of("postgresql://u:p%zz@h", 17, null, "two hexadecimal digits"),
                Arguments.of("postgresql://u:%C3%28@h", 16, null, "not UTF-8"),
                Arguments.of("postgresql://h/d%00b", 16, "dbname", "NUL"),
                Arguments.of("postgresql://h/db?ssl=false", 19, "ssl", "sslmode"),
                Arguments.of("postgresql://h/db?connect_timeout=ten", 19, "connect_timeout", "whole number"),
                Arguments.of(
                        "postgresql://h/db?target_session_attrs=whatever", 19, "target_session_attrs", "read-write"),
                Arguments.of("postgresql://h/db?socketFactory=evil.Factory", 19, "socketFactory", "load a class"),
                Arguments.of("postgresql://h/db?sslfactory=x", 19, "sslfactory", "load a class"),
                Arguments.of("postgresql://h/db?loggerFile=/tmp/x", 19, "loggerFile", "write a file"),
                Arguments.of("postgresql://h/db?passfile=/x", 19, "passfile", "PGPASSFILE"),
                Arguments.of("postgresql://h/db?sslcrl=/x.crl", 19, "sslcrl", "revocation"),
                Arguments.of("postgresql://h/db?sslrootcert=system", 19, "sslrootcert", "CA certificate file"),
                Arguments.of("postgresql://h/db?PGHOST=x", 19, null, "unknown parameter"),
                Arguments.of("host=a b", 8, null, "without '='"),
                Arguments.of("host=a =b", 8, null, "without a parameter name"),
                Arguments.of("  password='abc", 12, "password", "not closed"),
                Arguments.of("host=h1,h2,h3 port=1,2", 15, "port", "2 ports for 3 hosts"),
                Arguments.of("host=h port=0", 8, "port", "from 1 to 65535"),
                Arguments.of("host=h hostaddr=1.2.3.4", 8, "hostaddr", "not both"),
                Arguments.of("host=h bogus=1", 8, null, "unknown parameter"),
                Arguments.of("mysql://h/db", 1, null, "unsupported URL scheme"),
                Arguments.of("jdbc:mysql://h/db", 1, null, "unsupported URL scheme"),
                Arguments.of("x\u0000y", 2, null, "NUL"),
                Arguments.of("host=\uD800", 6, null, "unpaired surrogate"),
                Arguments.of("   ", -1, null, "empty"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badDsns")
    void errorsSayWhatAndWhere(String text, int position, String key, String fragment) {
        DsnException e = catchThrowableOfType(DsnException.class, () -> Dsn.parse(text));
        assertThat(e).as("DsnException for %s", text).isNotNull();
        assertThat(e.getMessage()).startsWith("invalid DSN").contains(fragment);
        if (position > 0) {
            assertThat(e.position()).as("position").hasValue(position);
            assertThat(e.getMessage()).contains("position " + position);
        } else {
            assertThat(e.position()).isEmpty();
        }
        assertThat(e.key()).as("key").isEqualTo(java.util.Optional.ofNullable(key));
    }

    private static final String PASSWORD = "Xq7-Distinctive#Pw";

    static Stream<String> dsnsWithThePassword() {
        String enc = PercentEncoding.encode(PASSWORD);
        return Stream.of(
                "postgresql://mon:" + enc + "@h:5432/db",
                "postgres://mon:" + enc + "@h1,h2/db?sslmode=require",
                "host=h user=mon password='" + PASSWORD + "'",
                "host=h user=mon password=" + PASSWORD.replace("#", "\\#"),
                "jdbc:postgresql://h/db?user=mon&password=" + enc,
                "postgresql://h/db?password=" + enc);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dsnsWithThePassword")
    void thePasswordNeverShows(String text) {
        Dsn dsn = Dsn.parse(text);
        assertThat(dsn.password()).contains(new Secret(PASSWORD));
        assertThat(dsn.toString()).doesNotContain(PASSWORD).contains("****").isEqualTo(dsn.redacted());
        assertThat(dsn.password().get().toString()).isEqualTo("****");
        assertThat(dsn.jdbcUrl()).doesNotContain(PASSWORD);
        assertThat(dsn.jdbcProperties().getProperty("password"))
                .as("the driver gets it")
                .isEqualTo(PASSWORD);
        assertThat(dsn.withDatabase("x").toString()).doesNotContain(PASSWORD);
    }

    static Stream<String> brokenDsnsWithThePassword() {
        String p = PASSWORD;
        return Stream.of(
                "postgresql://mon:" + p + "@h:54x/db", // '#' unencoded and a bad port
                "postgresql://mon:" + p + "/db", // forgot the host: the password reads as a port
                "postgresql://mon:" + p + "@h/db?sslmode=" + p,
                "postgresql://mon:pw@h/db?" + p + "=1",
                "postgresql://h/db?password=" + p + "%zz",
                "host=h password=" + p + " x",
                "host=h password " + p,
                "host=h password='" + p,
                "host=h " + p + "=1",
                "host=h sslmode=" + p,
                "host=h port=" + p,
                "host=" + p,
                "jdbc:postgresql://h/db?password=" + p + "&bad",
                "postgresql://mon:" + p + "@[" + p + "]/db",
                "postgresql://mon:" + p + "@h/db?connect_timeout=" + p);
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("brokenDsnsWithThePassword")
    void errorMessagesNeverRepeatThePassword(String text) {
        DsnException e = catchThrowableOfType(DsnException.class, () -> Dsn.parse(text));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain("Distinctive");
        assertThat(e.toString()).doesNotContain(PASSWORD);
    }
}
