package io.pgmetrics.core.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where and how to connect to one PostgreSQL server, in any of the forms users already have:
 *
 * <ul>
 *   <li>libpq URLs: {@code postgresql://user:pass@h1:5432,h2:5433/db?sslmode=require}, also
 *       {@code postgres://}; percent-encoded user, password, host and database; IPv6 as
 *       {@code [::1]:5432}; {@code ?host=/var/run/postgresql} and the other query parameters
 *       override the parts before them, as in libpq; {@code ?ssl=true} means
 *       {@code sslmode=require}, as in libpq;
 *   <li>libpq key=value strings: {@code host=db port=5432 user=u password='a b\'c' dbname=x};
 *       {@code host=h1,h2 port=5432,5433} (one port for all hosts, or one per host);
 *   <li>pgjdbc URLs: {@code jdbc:postgresql://host:port/db?user=u&password=p&sslmode=require},
 *       {@code jdbc:postgresql:db}; their query is decoded as pgjdbc does ({@code +} is a space).
 * </ul>
 *
 * <p>Defaults follow libpq: host {@code localhost}, port 5432, database = the user name, or
 * {@code postgres} when no user is given (libpq would take the operating-system user). An empty
 * host, which libpq reads as its default Unix socket, is {@code localhost}.
 *
 * <p>Parameters keep the names they were written with; {@link #jdbcProperties()} says how they
 * reach pgjdbc. Accepted names: libpq's (checked, and translated for pgjdbc); pgjdbc's (passed
 * through), except those that make the driver load a class or write a file ({@code socketFactory},
 * {@code sslfactory}, {@code loggerFile}, ...), since a DSN may arrive in a scrape request; a few
 * libpq names whose loss would silently weaken security are rejected ({@code sslcrl},
 * {@code requirepeer}, {@code passfile}, ...); any other name is an error with a suggestion,
 * because pgjdbc would silently ignore a misspelt {@code sslmod=require}. A DSN that cannot be
 * used throws {@link DsnException}, whose message never repeats the text.
 *
 * <p>The password is a {@link Secret}: {@link #toString()} and {@link #redacted()} show
 * {@code ****}. Instances are immutable; equal when all fields are equal.
 */
public final class Dsn {

    /** {@code application_name} when the DSN does not set one. */
    public static final String DEFAULT_APPLICATION_NAME = "pgmetrics";
    /** pgjdbc {@code connectTimeout} (TCP connect, per host): a monitor should learn quickly that a server is gone. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    /** pgjdbc {@code loginTimeout}: the whole connect, TLS and authentication included. */
    public static final int DEFAULT_LOGIN_TIMEOUT_SECONDS = 10;
    /**
     * pgjdbc {@code socketTimeout}: the backstop for a server that stops answering mid-query. It
     * must exceed every query timeout (those cancel the query; this one drops the connection).
     */
    public static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 60;

    private static final String DEFAULT_DATABASE = "postgres";

    private final List<HostPort> hosts;
    private final String database;
    private final String user;
    private final Secret password;
    private final Map<String, String> parameters;

    Dsn(List<HostPort> hosts, String database, String user, Secret password, Map<String, String> parameters) {
        this.hosts = List.copyOf(hosts);
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Reads a DSN in any supported form.
     *
     * @throws DsnException if the text is not a usable DSN; the message says what and where
     */
    public static Dsn parse(String text) {
        return DsnParser.parse(text);
    }

    /** The servers to try, in order; never empty. */
    public List<HostPort> hosts() {
        return hosts;
    }

    /** The database to connect to: as given, else the user name, else {@code postgres}. */
    public String database() {
        return database != null ? database : user != null ? user : DEFAULT_DATABASE;
    }

    /** The database as written in the DSN, without the default. */
    Optional<String> explicitDatabase() {
        return Optional.ofNullable(database);
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    public Optional<Secret> password() {
        return Optional.ofNullable(password);
    }

    /**
     * Every parameter besides host, hostaddr, port, dbname, user and password, with the names as
     * written, in the order first written; unmodifiable.
     */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * A pgjdbc URL without credentials or parameters (they are in {@link #jdbcProperties()}, which
     * must be passed along): {@code jdbc:postgresql://h1:5432,h2:5433/db}.
     *
     * <p>pgjdbc cannot use Unix sockets without a socket factory (which a DSN may not name), so a socket directory becomes {@code localhost} with the same port:
     * the same server over TCP when it listens on localhost, as most do.
     */
    public String jdbcUrl() {
        String hostList = hosts.stream()
                .map(hp -> hp.isUnixSocket() ? new HostPort(HostPort.DEFAULT_HOST, hp.port()) : hp)
                .map(HostPort::toString)
                .collect(Collectors.joining(","));
        return "jdbc:postgresql://" + hostList + "/" + PercentEncoding.encode(database());
    }

    /**
     * The connection properties for pgjdbc: {@code user}, {@code password}, and the parameters,
     * libpq names translated to pgjdbc's ({@code connect_timeout} → {@code connectTimeout},
     * {@code application_name} → {@code ApplicationName}, {@code target_session_attrs} →
     * {@code targetServerType}, {@code keepalives} → {@code tcpKeepAlive}, ...), libpq settings
     * pgjdbc has no setting for left out (socket keep-alive tuning, {@code client_encoding},
     * {@code sslsni}, TLS protocol bounds: the JVM's settings apply), pgjdbc names as they are.
     *
     * <p>Unless the DSN sets them: {@code ApplicationName} = {@value #DEFAULT_APPLICATION_NAME}
     * (so the monitor can be told apart in {@code pg_stat_activity}), {@code connectTimeout} =
     * {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s, {@code loginTimeout} =
     * {@value #DEFAULT_LOGIN_TIMEOUT_SECONDS} s, {@code socketTimeout} =
     * {@value #DEFAULT_SOCKET_TIMEOUT_SECONDS} s, {@code tcpKeepAlive} = true, {@code assumeMinServerVersion}
     * = 9.0 (application_name and extra_float_digits go in the startup packet instead of two {@code SET}s
     * after it: one round trip and two statements less per connection; every server we support is newer).
     *
     * <p>The result holds the password in clear text: hand it to the driver, never print it.
     */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password.reveal());
        }
        ParameterRules.translate(parameters, p);
        p.putIfAbsent("ApplicationName", DEFAULT_APPLICATION_NAME);
        p.putIfAbsent("connectTimeout", Integer.toString(DEFAULT_CONNECT_TIMEOUT_SECONDS));
        p.putIfAbsent("loginTimeout", Integer.toString(DEFAULT_LOGIN_TIMEOUT_SECONDS));
        p.putIfAbsent("socketTimeout", Integer.toString(DEFAULT_SOCKET_TIMEOUT_SECONDS));
        p.putIfAbsent("tcpKeepAlive", "true");
        p.putIfAbsent("assumeMinServerVersion", "9.0");
        return p;
    }

    /** The same DSN for another database; {@code null} returns to the default (the user name). */
    public Dsn withDatabase(String database) {
        DsnParts parts = DsnParts.of(this);
        parts.database(database);
        return parts.build();
    }

    /**
     * The same DSN with other credentials ({@code null} for none). A DSN without an explicit
     * database then defaults to the new user's name, as libpq would.
     */
    public Dsn withCredentials(String user, Secret password) {
        DsnParts parts = DsnParts.of(this);
        parts.credentials(user, password);
        return parts.build();
    }

    /**
     * The same DSN with one parameter set as if written last in it ({@code null} removes it). Any
     * name {@link #parse} accepts works, {@code host}, {@code port} and {@code dbname} included,
     * e.g. the options of a postgres_exporter auth module.
     *
     * @throws DsnException if the name or value would not be accepted in a DSN
     */
    public Dsn withParameter(String key, String value) {
        Objects.requireNonNull(key, "key");
        DsnParts parts = DsnParts.of(this);
        if (value == null) {
            parts.remove(key);
        } else {
            parts.set(key, value, -1);
        }
        return parts.build();
    }

    /**
     * {@code host:port} of the first host: postgres_exporter's {@code server} label. Unlike
     * postgres_exporter, a URL's {@code ?host=} is honoured, so a socket DSN reads
     * {@code /var/run/postgresql:5432}. An IPv6 address is in brackets.
     */
    public String serverLabel() {
        return hosts.get(0).toString();
    }

    /**
     * This DSN as a libpq URL with the password (and {@code sslpassword}) replaced by {@code ****}: safe
     * for logs and pages. Parsing it gives this DSN back, with {@code ****} as the password.
     */
    public String redacted() {
        StringBuilder b = new StringBuilder("postgresql://");
        if (user != null || password != null) {
            if (user != null) {
                b.append(PercentEncoding.encode(user));
            }
            if (password != null) {
                b.append(':').append(Secret.MASK);
            }
            b.append('@');
        }
        b.append(hosts.stream()
                .map(hp -> (hp.isIpv6() ? "[" + hp.host() + "]" : PercentEncoding.encode(hp.host())) + ":" + hp.port())
                .collect(Collectors.joining(",")));
        if (database != null) {
            b.append('/').append(PercentEncoding.encode(database));
        }
        char sep = '?';
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            // sslpassword unlocks the client key: as secret as the password
            String value = e.getKey().equals("sslpassword") ? Secret.MASK : PercentEncoding.encode(e.getValue());
            b.append(sep).append(PercentEncoding.encode(e.getKey())).append('=').append(value);
            sep = '&';
        }
        return b.toString();
    }

    /** {@link #redacted()}: never the password. */
    @Override
    public String toString() {
        return redacted();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dsn other
                && hosts.equals(other.hosts)
                && Objects.equals(database, other.database)
                && Objects.equals(user, other.user)
                && Objects.equals(password, other.password)
                && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hosts, database, user, password, parameters);
    }
}
