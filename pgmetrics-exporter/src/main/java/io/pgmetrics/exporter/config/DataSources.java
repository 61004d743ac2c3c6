package io.pgmetrics.exporter.config;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the databases to scrape in the environment, the way postgres_exporter does, plus the
 * Kubernetes pattern that assembles the connection string from parts.
 *
 * <ol>
 *   <li>{@code DATA_SOURCE_NAME}, a comma-separated list. Unlike postgres_exporter, a comma splits
 *       only where the next entry begins (a {@code postgres://}/{@code postgresql://}/{@code jdbc:}
 *       URL or a libpq {@code keyword=}), outside single quotes and outside a URL's query string; so
 *       {@code password='a,b'}, {@code ?options=x,y} and multi-host URLs survive.</li>
 *   <li>{@code DATA_SOURCE_URI} (host part, e.g. {@code db:5432/app?sslmode=disable}) with
 *       {@code DATA_SOURCE_USER} and {@code DATA_SOURCE_PASS}; each has a {@code _FILE} form that
 *       wins and whose content is trimmed. User and password are URL-escaped.</li>
 *   <li>Only when no {@code DATA_SOURCE_*} variable is set and at least one {@code POSTGRES_*} part
 *       is: {@code POSTGRES_HOST} (default {@code postgres.services.svc.cluster.local}),
 *       {@code POSTGRES_PORT} (5432), {@code POSTGRES_SSLMODE} (disable), {@code POSTGRES_USER},
 *       {@code POSTGRES_PASSWORD} or {@code POSTGRES_PASSWORD_FILE}, {@code POSTGRES_DB} (postgres).</li>
 * </ol>
 * Nothing set: no target (the exporter still serves {@code pg_up 0} and its own metrics).
 */
final class DataSources {

    static final String DEFAULT_POSTGRES_HOST = "postgres.services.svc.cluster.local";

    private static final List<String> DATA_SOURCE_VARIABLES = List.of(
            "DATA_SOURCE_NAME",
            "DATA_SOURCE_URI",
            "DATA_SOURCE_URI_FILE",
            "DATA_SOURCE_USER",
            "DATA_SOURCE_USER_FILE",
            "DATA_SOURCE_PASS",
            "DATA_SOURCE_PASS_FILE");
    private static final List<String> PART_VARIABLES = List.of(
            "POSTGRES_HOST",
            "POSTGRES_PORT",
            "POSTGRES_SSLMODE",
            "POSTGRES_USER",
            "POSTGRES_PASSWORD",
            "POSTGRES_PASSWORD_FILE",
            "POSTGRES_DB");

    /** libpq connection keywords: a list entry in key=value form starts with one of them. */
    private static final Set<String> LIBPQ_KEYWORDS = Set.of(
            "host",
            "hostaddr",
            "port",
            "dbname",
            "user",
            "password",
            "passfile",
            "channel_binding",
            "connect_timeout",
            "client_encoding",
            "options",
            "application_name",
            "fallback_application_name",
            "keepalives",
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout",
            "replication",
            "gssencmode",
            "sslmode",
            "requiressl",
            "sslcompression",
            "sslcert",
            "sslkey",
            "sslpassword",
            "sslcertmode",
            "sslrootcert",
            "sslcrl",
            "sslcrldir",
            "sslsni",
            "requirepeer",
            "ssl_min_protocol_version",
            "ssl_max_protocol_version",
            "krbsrvname",
            "gsslib",
            "gssdelegation",
            "service",
            "target_session_attrs",
            "load_balance_hosts",
            "sslnegotiation",
            "require_auth",
            "loggerLevel");

    private static final Pattern URL_START =
            Pattern.compile("^(postgres|postgresql)://|^jdbc:postgresql:", Pattern.CASE_INSENSITIVE);

    private DataSources() {}

    /** Whether the environment names any data source (then a config file's targets are not used). */
    static boolean present(Map<String, String> env) {
        return DATA_SOURCE_VARIABLES.stream().anyMatch(v -> notEmpty(env.get(v)))
                || PART_VARIABLES.stream().anyMatch(v -> notEmpty(env.get(v)));
    }

    static List<TargetSpec> resolve(Map<String, String> env) throws ConfigException {
        String names = env.get("DATA_SOURCE_NAME");
        if (notEmpty(names)) {
            List<String> parts = split(names);
            List<TargetSpec> out = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                out.add(new TargetSpec(
                        parts.get(i), "DATA_SOURCE_NAME" + (parts.size() > 1 ? " entry " + (i + 1) : "")));
            }
            return out;
        }
        if (DATA_SOURCE_VARIABLES.stream().anyMatch(v -> notEmpty(env.get(v)))) {
            String uri = fileOrValue(env, "DATA_SOURCE_URI").orElse("");
            String user = fileOrValue(env, "DATA_SOURCE_USER").orElse("");
            String pass = fileOrValue(env, "DATA_SOURCE_PASS").orElse("");
            if (uri.isEmpty()) {
                return List.of(); // postgres_exporter: user and password without a URI mean no target
            }
            return List.of(
                    new TargetSpec("postgresql://" + escape(user) + ":" + escape(pass) + "@" + uri, "DATA_SOURCE_URI"));
        }
        if (PART_VARIABLES.stream().anyMatch(v -> notEmpty(env.get(v)))) {
            return List.of(fromParts(env));
        }
        return List.of();
    }

    private static TargetSpec fromParts(Map<String, String> env) throws ConfigException {
        String host = orDefault(env, "POSTGRES_HOST", DEFAULT_POSTGRES_HOST);
        String port = orDefault(env, "POSTGRES_PORT", "5432");
        if (!port.matches("\\d{1,5}")) {
            throw new ConfigException(
                    "environment variable POSTGRES_PORT: '" + port + "' is not a port number; expected e.g. 5432");
        }
        String sslmode = orDefault(env, "POSTGRES_SSLMODE", "disable");
        String db = orDefault(env, "POSTGRES_DB", "postgres");
        String user = env.getOrDefault("POSTGRES_USER", "");
        String password = fileOrValue(env, "POSTGRES_PASSWORD").orElse("");
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String userInfo = user.isEmpty() && password.isEmpty()
                ? ""
                : escape(user) + (password.isEmpty() ? "" : ":" + escape(password)) + "@";
        return new TargetSpec(
                "postgresql://" + userInfo + hostPart + ":" + port + "/" + escape(db) + "?sslmode=" + escape(sslmode),
                "POSTGRES_HOST/POSTGRES_PORT/... variables");
    }

    /** The content of {@code NAME_FILE} (trimmed) when that is set, else {@code NAME}. */
    static Optional<String> fileOrValue(Map<String, String> env, String name) throws ConfigException {
        String file = env.get(name + "_FILE");
        if (notEmpty(file)) {
            try {
                return Optional.of(Files.readString(Path.of(file)).strip());
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("environment variable " + name + "_FILE: cannot read '" + file + "' ("
                        + e.getClass().getSimpleName().replace("Exception", "")
                        + "); expected a readable file holding the value");
            }
        }
        return Optional.ofNullable(env.get(name)).filter(DataSources::notEmpty);
    }

    /**
     * Splits a DATA_SOURCE_NAME list: at a comma outside single quotes and outside a URL query string,
     * and only when what follows starts a new connection string. Entries are trimmed; empty ones dropped.
     */
    static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        boolean inQuery = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '\'') {
                quoted = !quoted;
            } else if (c == '?' && !quoted && isUrl(list.substring(start, i).strip())) {
                inQuery = true;
            } else if (c == ',' && !quoted && startsEntry(list.substring(i + 1), inQuery)) {
                add(out, list.substring(start, i));
                start = i + 1;
                inQuery = false;
            }
        }
        add(out, list.substring(start));
        return out;
    }

    private static boolean startsEntry(String rest, boolean inQuery) {
        String r = rest.stripLeading();
        if (r.isEmpty() || r.startsWith(",") || URL_START.matcher(r).find()) {
            return true;
        }
        if (inQuery) {
            return false; // ?a=b,c=d: a new key=value entry cannot begin inside a URL's query string
        }
        int eq = r.indexOf('=');
        return eq > 0 && LIBPQ_KEYWORDS.contains(r.substring(0, eq).strip());
    }

    private static boolean isUrl(String s) {
        return URL_START.matcher(s).find();
    }

    private static void add(List<String> out, String entry) {
        String e = entry.strip();
        if (!e.isEmpty()) {
            out.add(e);
        }
    }

    private static String orDefault(Map<String, String> env, String name, String def) {
        String v = env.get(name);
        return notEmpty(v) ? v.strip() : def;
    }

    static String escape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
