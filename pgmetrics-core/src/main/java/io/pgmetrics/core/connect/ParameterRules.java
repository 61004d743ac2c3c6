package io.pgmetrics.core.connect;

import io.pgmetrics.core.internal.yaml.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGProperty;

/**
 * What each DSN parameter means to pgjdbc. A DSN may use libpq's names (what {@code psql} and
 * postgres_exporter users write) and pgjdbc's own names (what a {@code jdbc:} URL carries):
 *
 * <ul>
 *   <li>libpq names with a pgjdbc equivalent are renamed, and their values mapped where pgjdbc
 *       spells them differently ({@code target_session_attrs=read-write} becomes
 *       {@code targetServerType=primary});
 *   <li>libpq names that only tune the socket or are obsolete are accepted and have no effect
 *       ({@link #DROPPED});
 *   <li>libpq names whose loss would silently weaken security or change what is connected to are
 *       rejected with the reason ({@link #REJECTED});
 *   <li>pgjdbc names pass through unchanged, except those that make the driver load a class or
 *       write a file: a DSN may come from a {@code /probe?target=} request, so those are rejected;
 *   <li>any other name is an error, with a suggestion: pgjdbc would silently ignore a misspelt
 *       {@code sslmod=require}.
 * </ul>
 */
final class ParameterRules {

    /** Names a {@link Dsn} keeps in its own fields rather than in {@link Dsn#parameters()}. */
    static final Set<String> STRUCTURAL = Set.of("host", "hostaddr", "port", "dbname", "user", "password");

    private record Rule(String jdbcName, Map<String, String> values, boolean integer) {

        static Rule rename(String jdbcName) {
            return new Rule(jdbcName, null, false);
        }

        static Rule integer(String jdbcName) {
            return new Rule(jdbcName, null, true);
        }

        static Rule choice(String jdbcName, String... libpqToJdbc) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < libpqToJdbc.length; i += 2) {
                values.put(libpqToJdbc[i], libpqToJdbc[i + 1]);
            }
            return new Rule(jdbcName, values, false);
        }

        static Rule same(String jdbcName, String... values) {
            String[] pairs = new String[values.length * 2];
            for (int i = 0; i < values.length; i++) {
                pairs[2 * i] = values[i];
                pairs[2 * i + 1] = values[i];
            }
            return choice(jdbcName, pairs);
        }
    }

    private static final Map<String, Rule> LIBPQ = Map.ofEntries(
            Map.entry("application_name", Rule.rename("ApplicationName")),
            Map.entry("fallback_application_name", Rule.rename("ApplicationName")),
            Map.entry("connect_timeout", Rule.integer("connectTimeout")),
            Map.entry(
                    "target_session_attrs",
                    Rule.choice(
                            "targetServerType",
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
                            "preferSecondary")),
            Map.entry("load_balance_hosts", Rule.choice("loadBalanceHosts", "disable", "false", "random", "true")),
            Map.entry(
                    "sslmode",
                    Rule.same("sslmode", "disable", "allow", "prefer", "require", "verify-ca", "verify-full")),
            Map.entry("sslrootcert", Rule.rename("sslrootcert")),
            Map.entry("sslcert", Rule.rename("sslcert")),
            Map.entry("sslkey", Rule.rename("sslkey")),
            Map.entry("sslpassword", Rule.rename("sslpassword")),
            Map.entry("sslnegotiation", Rule.same("sslNegotiation", "postgres", "direct")),
            Map.entry("gssencmode", Rule.same("gssEncMode", "disable", "prefer", "require")),
            Map.entry("channel_binding", Rule.same("channelBinding", "disable", "prefer", "require")),
            Map.entry("require_auth", Rule.rename("requireAuth")),
            Map.entry("krbsrvname", Rule.rename("kerberosServerName")),
            Map.entry("gsslib", Rule.rename("gsslib")),
            Map.entry("options", Rule.rename("options")),
            Map.entry("service", Rule.rename("service")),
            Map.entry("keepalives", Rule.choice("tcpKeepAlive", "0", "false", "1", "true")));

    /** libpq parameters accepted for compatibility that pgjdbc has no setting for; they do nothing. */
    static final Set<String> DROPPED = Set.of(
            "keepalives_idle",
            "keepalives_interval",
            "keepalives_count",
            "tcp_user_timeout", // OS socket tuning
            "client_encoding", // pgjdbc always talks UTF-8
            "sslcompression",
            "sslsni", // obsolete; pgjdbc sends SNI for host names by itself
            "ssl_min_protocol_version",
            "ssl_max_protocol_version", // the JVM's TLS settings apply
            "min_protocol_version",
            "max_protocol_version",
            "gssdelegation");

    /** libpq parameters that cannot be honoured, with what to do instead. */
    static final Map<String, String> REJECTED = Map.ofEntries(
            Map.entry(
                    "passfile",
                    "pgjdbc reads a password file only from PGPASSFILE, -Dorg.postgresql.pgpassfile"
                            + " or ~/.pgpass; remove passfile and use one of those, or give the password"),
            Map.entry("replication", "a replication connection cannot run monitoring queries; remove it"),
            Map.entry("requirepeer", "it applies to Unix sockets, which pgjdbc does not use; remove it"),
            Map.entry("sslcrl", "pgjdbc does not check certificate revocation lists; remove it"),
            Map.entry("sslcrldir", "pgjdbc does not check certificate revocation lists; remove it"),
            Map.entry("sslcertmode", "pgjdbc sends a client certificate when sslcert is given; remove it"),
            Map.entry("sslkeylogfile", "pgjdbc cannot log TLS keys; remove it"),
            Map.entry("oauth_issuer", "pgjdbc does not support OAuth; remove it"),
            Map.entry("oauth_client_id", "pgjdbc does not support OAuth; remove it"),
            Map.entry("oauth_client_secret", "pgjdbc does not support OAuth; remove it"),
            Map.entry("oauth_scope", "pgjdbc does not support OAuth; remove it"));

    /**
     * pgjdbc settings that load a class, open a file or change where the driver logs: they must be
     * set in code, never by a DSN that a scrape request may supply.
     */
    static final Set<String> UNSAFE_JDBC = Set.of(
            "socketFactory",
            "socketFactoryArg",
            "sslfactory",
            "sslfactoryarg",
            "sslhostnameverifier",
            "sslpasswordcallback",
            "authenticationPluginClassName",
            "xmlFactoryFactory",
            "connectExecutor",
            "connectExecutorArg",
            "classLoaderStrategy",
            "loggerFile",
            "loggerLevel");

    /** pgjdbc settings given in seconds that we check are whole numbers. */
    private static final Set<String> JDBC_INTEGERS =
            Set.of("connectTimeout", "loginTimeout", "socketTimeout", "cancelSignalTimeout", "hostRecheckSeconds");

    private ParameterRules() {}

    /**
     * Checks a parameter that is not structural. {@code index} is the 0-based position of its name
     * in the DSN text, or negative when the parameter came from code.
     */
    static void check(String key, String value, int index) {
        Rule rule = LIBPQ.get(key);
        if (rule != null) {
            checkLibpq(key, value, index, rule);
            return;
        }
        if (DROPPED.contains(key)) {
            return;
        }
        String rejection = REJECTED.get(key);
        if (rejection != null) {
            throw DsnException.forKey(key, index, "not supported: " + rejection);
        }
        PGProperty jdbc = PGProperty.forName(key);
        if (jdbc == null || key.startsWith("PG")) {
            throw unknown(key, index);
        }
        if (UNSAFE_JDBC.contains(key)) {
            throw DsnException.forKey(
                    key,
                    index,
                    "not allowed in a DSN: it makes the driver load a class or"
                            + " write a file; set it on a DataSource in code (DataSourceConnectionSource)");
        }
        if (JDBC_INTEGERS.contains(key)) {
            checkInteger(key, value, index);
        }
        String[] choices = jdbc.getChoices();
        if (choices != null) {
            List<String> items = key.equals("requireAuth") ? Arrays.asList(value.split(",", -1)) : List.of(value);
            for (String item : items) {
                if (Arrays.stream(choices).noneMatch(c -> c.equalsIgnoreCase(item.trim()))) {
                    throw DsnException.forKey(key, index, "use one of " + String.join(", ", choices));
                }
            }
        }
    }

    private static void checkLibpq(String key, String value, int index, Rule rule) {
        if (rule.integer()) {
            checkInteger(key, value, index);
        }
        if (rule.values() != null && !rule.values().containsKey(value)) {
            throw DsnException.forKey(
                    key, index, "use one of " + String.join(", ", rule.values().keySet()));
        }
        if (key.equals("sslrootcert") && value.equals("system")) {
            throw DsnException.forKey(
                    key, index, "pgjdbc has no sslrootcert=system; give the path of a CA" + " certificate file");
        }
    }

    private static void checkInteger(String key, String value, int index) {
        String v = value.trim();
        boolean digits = !v.isEmpty() && v.length() <= 9 && v.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw DsnException.forKey(key, index, "expected a whole number of seconds (0 = no limit)");
        }
    }

    private static DsnException unknown(String key, int index) {
        String hint = suggestion(key).map(s -> "; did you mean \"" + s + "\"?").orElse(".");
        String problem = "unknown parameter" + hint + " Use libpq's names (sslmode, connect_timeout,"
                + " application_name, ...) or pgjdbc's (preferQueryMode, tcpKeepAlive, ...)";
        // the name is quoted only when it came from code: in a DSN it may be a misplaced password
        return index < 0 ? DsnException.forKey(key, -1, problem) : DsnException.at(index, problem);
    }

    /** Whether a key is a parameter libpq or pgjdbc knows (so that it is safe to print). */
    static boolean isKnown(String key) {
        return STRUCTURAL.contains(key)
                || LIBPQ.containsKey(key)
                || DROPPED.contains(key)
                || REJECTED.containsKey(key)
                || PGProperty.forName(key) != null;
    }

    /** The known name closest to a misspelt one, if one is close. */
    static Optional<String> suggestion(String key) {
        String folded = fold(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : knownNames()) {
            int d = fold(known).equals(folded) ? 0 : Messages.distance(folded, fold(known), 3);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return bestDistance <= 2 ? Optional.of(best) : Optional.empty();
    }

    private static Set<String> knownNames() {
        // libpq's names first: on a tie they are the ones suggested
        Set<String> names = new LinkedHashSet<>(new TreeSet<>(STRUCTURAL));
        names.addAll(new TreeSet<>(LIBPQ.keySet()));
        names.addAll(new TreeSet<>(DROPPED));
        for (PGProperty p : PGProperty.values()) {
            if (!UNSAFE_JDBC.contains(p.getName()) && !p.getName().startsWith("PG")) {
                names.add(p.getName());
            }
        }
        return names;
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /**
     * Adds the pgjdbc form of the parameters to {@code out}: libpq names renamed and their values
     * mapped, dropped ones left out, pgjdbc names as they are. Parameters are applied in order, so
     * a later one wins; {@code fallback_application_name} only fills in when no application name
     * is given.
     */
    static void translate(Map<String, String> parameters, Properties out) {
        List<String> fallbacks = new ArrayList<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals("fallback_application_name")) {
                fallbacks.add(value);
                continue;
            }
            Rule rule = LIBPQ.get(key);
            if (rule != null) {
                String mapped =
                        rule.values() != null ? rule.values().get(value) : rule.integer() ? value.trim() : value;
                out.setProperty(rule.jdbcName(), mapped);
            } else if (!DROPPED.contains(key)) {
                out.setProperty(key, value);
            }
        }
        if (!fallbacks.isEmpty() && !out.containsKey("ApplicationName")) {
            out.setProperty("ApplicationName", fallbacks.get(fallbacks.size() - 1));
        }
    }
}
