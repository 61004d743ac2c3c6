package io.pgmetrics.core.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random inputs for the DSN parser. Each run uses two fixed seeds and one new one; the seed
 * is in the test's display name and in every assertion message. Replay a failure with
 * {@code -Dpgmetrics.test.seed=<seed>}.
 */
class DsnRandomInputTest {

    private static final int MODELS_PER_SEED = 600;
    private static final int GARBAGE_PER_SEED = 1200;

    static LongStream seeds() {
        Long replay = Long.getLong("pgmetrics.test.seed");
        return replay != null ? LongStream.of(replay) : LongStream.of(1L, 20_260_101L, System.nanoTime());
    }

    /** A DSN as fields; {@code null} means "not given". */
    record Model(
            List<String> hosts,
            List<Integer> ports,
            String database,
            String user,
            String password,
            Map<String, String> parameters) {

        List<HostPort> expectedHosts() {
            if (hosts.isEmpty()) {
                return List.of(new HostPort("localhost", 5432));
            }
            List<HostPort> out = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                out.add(new HostPort(hosts.get(i), ports.get(i) == null ? 5432 : ports.get(i)));
            }
            return out;
        }

        String expectedDatabase() {
            return database != null ? database : user != null ? user : "postgres";
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void validDsnsReadBackInEveryForm(long seed) throws Exception {
        Random r = new Random(seed);
        for (int n = 0; n < MODELS_PER_SEED; n++) {
            Model m = model(r);
            for (String text : List.of(url(m, r), keyValues(m, r), jdbcUrl(m, r))) {
                String where = "seed " + seed + ", case " + n + ": " + text;
                Dsn dsn;
                try {
                    dsn = Dsn.parse(text);
                } catch (DsnException e) {
                    throw new AssertionError(where + " was rejected: " + e.getMessage(), e);
                }
                assertThat(dsn.hosts()).as(where).isEqualTo(m.expectedHosts());
                assertThat(dsn.database()).as(where).isEqualTo(m.expectedDatabase());
                assertThat(dsn.user()).as(where).isEqualTo(Optional.ofNullable(m.user()));
                assertThat(dsn.password().map(Secret::reveal)).as(where).isEqualTo(Optional.ofNullable(m.password()));
                assertThat(dsn.parameters()).as(where).containsExactlyEntriesOf(m.parameters());

                String redacted = dsn.redacted();
                if (m.password() != null) {
                    assertThat(redacted).as(where).doesNotContain(m.password());
                    assertThat(dsn.toString()).as(where).doesNotContain(m.password());
                }
                Secret mask = m.password() == null ? null : new Secret("****");
                assertThat(Dsn.parse(redacted)).as(where).isEqualTo(dsn.withCredentials(m.user(), mask));

                Properties pgjdbc = org.postgresql.Driver.parseURL(dsn.jdbcUrl(), new Properties());
                assertThat(pgjdbc)
                        .as("pgjdbc reads " + dsn.jdbcUrl() + " (" + where + ")")
                        .isNotNull();
                assertThat(pgjdbc.getProperty("PGDBNAME")).as(where).isEqualTo(m.expectedDatabase());
                assertThat(pgjdbc.getProperty("PGHOST").split(","))
                        .as(where)
                        .hasSize(m.expectedHosts().size());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void garbageIsReadOrRejectedWithDsnException(long seed) {
        Random r = new Random(seed);
        String password = "Pw" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "#Zq";
        List<String> inputs = new ArrayList<>();
        for (int n = 0; n < GARBAGE_PER_SEED; n++) {
            inputs.add(
                    switch (n % 4) {
                        case 0 -> fragments(r, password, 1 + r.nextInt(30));
                        case 1 -> mutate(r, validWithPassword(r, password), password);
                        case 2 -> fromBytes(r, validWithPassword(r, password));
                        default -> randomText(r, r.nextInt(80));
                    });
        }
        inputs.addAll(huge(r, password));
        int accepted = 0;
        for (int n = 0; n < inputs.size(); n++) {
            String text = inputs.get(n);
            String where = "seed " + seed + ", garbage " + n + ": " + abbreviate(text);
            Dsn dsn;
            try {
                dsn = Dsn.parse(text);
            } catch (DsnException e) {
                assertThat(e.getMessage()).as(where).startsWith("invalid DSN").doesNotContain(password);
                assertThat(e.toString()).as(where).doesNotContain(password);
                continue;
            } catch (Throwable t) {
                throw new AssertionError(where + " threw " + t.getClass().getName() + " instead of DsnException", t);
            }
            // what was accepted is usable, and its redacted form reads back
            assertThat(dsn.hosts()).as(where).isNotEmpty();
            assertThat(dsn.jdbcUrl()).as(where).startsWith("jdbc:postgresql://");
            assertThat(dsn.jdbcProperties()).as(where).containsKey("ApplicationName");
            assertThat(dsn.serverLabel()).as(where).isNotBlank();
            Secret mask = dsn.password().isPresent() ? new Secret("****") : null;
            assertThat(Dsn.parse(dsn.redacted()))
                    .as(where)
                    .isEqualTo(dsn.withCredentials(dsn.user().orElse(null), mask));
            accepted++;
        }
        assertThat(accepted)
                .as("seed %d: both outcomes occur", seed)
                .isBetween(inputs.size() / 20, inputs.size() * 19 / 20);
    }

    // ---- valid models and their three spellings ----

    private static final String[] SSLMODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
    private static final String[] SESSION_ATTRS = {
        "any", "read-write", "read-only", "primary", "standby", "prefer-standby"
    };

    private static Model model(Random r) {
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        if (r.nextInt(5) > 0) {
            int count = 1 + r.nextInt(3);
            for (int i = 0; i < count; i++) {
                hosts.add(host(r));
                ports.add(r.nextBoolean() ? null : 1 + r.nextInt(65535));
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        int count = r.nextInt(5);
        for (int i = 0; i < count; i++) {
            switch (r.nextInt(9)) {
                case 0 -> params.put("application_name", text(r, 1 + r.nextInt(20)));
                case 1 -> params.put("sslmode", SSLMODES[r.nextInt(SSLMODES.length)]);
                case 2 -> params.put("connect_timeout", Integer.toString(r.nextInt(100)));
                case 3 -> params.put("options", "-c statement_timeout=" + r.nextInt(10_000) + " " + text(r, 5));
                case 4 -> params.put("target_session_attrs", SESSION_ATTRS[r.nextInt(SESSION_ATTRS.length)]);
                case 5 -> params.put("sslrootcert", "/etc/" + text(r, 1 + r.nextInt(10)));
                case 6 -> params.put("keepalives", r.nextBoolean() ? "1" : "0");
                case 7 -> params.put("preferQueryMode", r.nextBoolean() ? "simple" : "extended");
                default -> params.put("fallback_application_name", text(r, 1 + r.nextInt(10)));
            }
        }
        return new Model(
                hosts,
                ports,
                r.nextInt(3) == 0 ? null : text(r, 1 + r.nextInt(15)),
                r.nextInt(4) == 0 ? null : text(r, 1 + r.nextInt(15)),
                r.nextInt(3) == 0 ? null : "Pw-" + text(r, 8 + r.nextInt(12)),
                params);
    }

    private static String host(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            case 1 ->
                List.of("::1", "2001:db8::1234", "fe80::1:2:3", "1:2:3:4:5:6:7:8")
                        .get(r.nextInt(4));
            case 2 -> "/" + text(r, 1 + r.nextInt(12)).replaceAll("[,\\p{Cntrl}]", "_") + "/pg";
            default -> {
                StringBuilder b = new StringBuilder();
                int labels = 1 + r.nextInt(3);
                for (int i = 0; i < labels; i++) {
                    b.append(i == 0 ? "" : ".")
                            .append(pick(r, "abcdefghijklmnopqrstuvwxyz0123456789-_", 1 + r.nextInt(8)));
                }
                yield b.toString();
            }
        };
    }

    /** Any text: ASCII including every delimiter, white space, Latin-1, CJK and astral characters. */
    private static String text(Random r, int length) {
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            switch (r.nextInt(10)) {
                case 0 -> b.append(pick(r, " \t\n'\\\"%+&=?@:/,[]#;", 1));
                case 1 -> b.append((char) (0xA0 + r.nextInt(0x60)));
                case 2 -> b.append((char) (0x4E00 + r.nextInt(0x100)));
                case 3 -> b.appendCodePoint(0x1F600 + r.nextInt(0x40));
                default -> b.append((char) (0x21 + r.nextInt(0x5E)));
            }
        }
        return b.toString();
    }

    private static String pick(Random r, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Percent-encoding by the JDK, independent of ours; libpq does not read '+' as a space. */
    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String url(Model m, Random r) {
        StringBuilder b = new StringBuilder(r.nextBoolean() ? "postgresql://" : "postgres://");
        appendUserInfo(b, m, DsnRandomInputTest::enc);
        boolean hostsInQuery = !m.hosts().isEmpty() && r.nextInt(4) == 0;
        if (!hostsInQuery) {
            for (int i = 0; i < m.hosts().size(); i++) {
                String h = m.hosts().get(i);
                b.append(i == 0 ? "" : ",").append(isIpv6(h) ? "[" + h + "]" : enc(h));
                if (m.ports().get(i) != null) {
                    b.append(':').append(m.ports().get(i));
                }
            }
        }
        if (m.database() != null) {
            b.append('/').append(enc(m.database()));
        }
        List<String> query = new ArrayList<>();
        if (hostsInQuery) {
            query.add("host=" + enc(String.join(",", m.hosts())));
            query.add("port=" + enc(portList(m)));
        }
        m.parameters().forEach((k, v) -> query.add(k + "=" + enc(v)));
        if (!query.isEmpty()) {
            b.append(m.database() == null ? "/?" : "?").append(String.join("&", query));
        }
        return b.toString();
    }

    private static String jdbcUrl(Model m, Random r) {
        // pgjdbc decodes with URLDecoder, so '+' for a space is what its users write
        java.util.function.UnaryOperator<String> enc = s -> URLEncoder.encode(s, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < m.hosts().size(); i++) {
            String h = m.hosts().get(i);
            b.append(i == 0 ? "" : ",").append(isIpv6(h) ? "[" + h + "]" : enc.apply(h));
            if (m.ports().get(i) != null) {
                b.append(':').append(m.ports().get(i));
            }
        }
        b.append('/');
        if (m.database() != null) {
            b.append(enc.apply(m.database()));
        }
        List<String> query = new ArrayList<>();
        if (m.user() != null) {
            query.add("user=" + enc.apply(m.user()));
        }
        if (m.password() != null) {
            query.add("password=" + enc.apply(m.password()));
        }
        m.parameters().forEach((k, v) -> query.add(k + "=" + enc.apply(v)));
        if (!query.isEmpty()) {
            b.append('?').append(String.join("&", query));
        }
        return b.toString();
    }

    private static void appendUserInfo(StringBuilder b, Model m, java.util.function.UnaryOperator<String> enc) {
        if (m.user() != null || m.password() != null) {
            if (m.user() != null) {
                b.append(enc.apply(m.user()));
            }
            if (m.password() != null) {
                b.append(':').append(enc.apply(m.password()));
            }
            b.append('@');
        }
    }

    private static boolean isIpv6(String host) {
        return host.contains(":") && !host.startsWith("/");
    }

    private static String portList(Model m) {
        List<String> ports = new ArrayList<>();
        for (Integer p : m.ports()) {
            ports.add(p == null ? "" : p.toString());
        }
        return String.join(",", ports);
    }

    private static String keyValues(Model m, Random r) {
        List<String[]> pairs = new ArrayList<>();
        if (!m.hosts().isEmpty()) {
            pairs.add(new String[] {"host", String.join(",", m.hosts())});
            if (m.ports().stream().anyMatch(p -> p != null)) {
                pairs.add(new String[] {"port", portList(m)});
            }
        }
        if (m.database() != null) {
            pairs.add(new String[] {"dbname", m.database()});
        }
        if (m.user() != null) {
            pairs.add(new String[] {"user", m.user()});
        }
        if (m.password() != null) {
            pairs.add(new String[] {"password", m.password()});
        }
        java.util.Collections.shuffle(pairs, r);
        m.parameters().forEach((k, v) -> pairs.add(new String[] {k, v}));
        if (pairs.isEmpty()) {
            pairs.add(new String[] {"host", ""}); // an empty DSN is rejected on purpose; an empty host is the default
        }
        StringBuilder b = new StringBuilder();
        for (String[] kv : pairs) {
            b.append(space(r, 0)).append(kv[0]).append(space(r, 0)).append('=').append(space(r, 0));
            String v = kv[1];
            boolean plain = !v.isEmpty()
                    && v.chars().noneMatch(c -> c == '\'' || c == '\\' || Character.isWhitespace(c) || c == 0x0B);
            if (plain && r.nextBoolean()) {
                b.append(v);
            } else if (!plain && r.nextInt(4) == 0 && !v.isEmpty()) {
                b.append(v.replace("\\", "\\\\").replaceAll("([\\s'\\x0B])", "\\\\$1")); // escaped, unquoted
            } else {
                b.append('\'')
                        .append(v.replace("\\", "\\\\").replace("'", "\\'"))
                        .append('\'');
            }
            b.append(space(r, 1));
        }
        return b.toString();
    }

    private static String space(Random r, int min) {
        return pick(r, "    \t\n", min + r.nextInt(2));
    }

    // ---- garbage ----

    private static final String[] FRAGMENTS = {
        "postgresql://",
        "postgres://",
        "jdbc:postgresql:",
        "jdbc:postgresql://",
        "mysql://",
        "host=",
        "port=",
        "password=",
        "user=",
        "dbname=",
        "sslmode=",
        "ssl=",
        "hostaddr=",
        "options=",
        "'",
        "\\",
        "@",
        ":",
        "/",
        "?",
        "&",
        "=",
        ",",
        "[",
        "]",
        "%",
        "%2",
        "%C3",
        "%zz",
        "%00",
        "%FF",
        " ",
        "\t",
        "\n",
        "::1",
        "5432",
        "99999",
        "localhost",
        "é",
        "😀",
        "\u0000",
        "\uD800",
        "\uDC00",
        "require",
        "socketFactory=",
        "+",
        "#"
    };

    private static String fragments(Random r, String password, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(r.nextInt(6) == 0 ? password : FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
        }
        return b.toString();
    }

    private static String validWithPassword(Random r, String password) {
        Model base = model(r);
        Model m = new Model(base.hosts(), base.ports(), base.database(), base.user(), password, base.parameters());
        return switch (r.nextInt(3)) {
            case 0 -> url(m, r);
            case 1 -> keyValues(m, r);
            default -> jdbcUrl(m, r);
        };
    }

    /** One to four edits: delete, insert a fragment, replace, cut a span, repeat a span, truncate. */
    private static String mutate(Random r, String text, String password) {
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = r.nextInt(b.length());
            int to = Math.min(b.length(), at + 1 + r.nextInt(12));
            switch (r.nextInt(6)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, r.nextInt(8) == 0 ? password : FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
                case 2 -> b.setCharAt(at, FRAGMENTS[r.nextInt(FRAGMENTS.length)].charAt(0));
                case 3 -> b.delete(at, to);
                case 4 -> b.insert(at, b.substring(at, to));
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    /** Text that went through bytes: flipped bytes read as UTF-8 (with replacement characters) or Latin-1. */
    private static String fromBytes(Random r, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips && bytes.length > 0; i++) {
            bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
        }
        return new String(bytes, r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** Any UTF-16 code units, unpaired surrogates and NUL included. */
    private static String randomText(Random r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(r.nextInt(3) == 0 ? (char) r.nextInt(0x10000) : (char) r.nextInt(0x80));
        }
        return b.toString();
    }

    private static List<String> huge(Random r, String password) {
        return Stream.of(
                        fragments(r, password, 40_000),
                        "postgresql://" + "a,".repeat(20_000) + "b/db",
                        "postgresql://" + "[".repeat(200_000),
                        "postgresql://u:" + "%".repeat(200_000) + "@h",
                        "postgresql://u:" + "%41".repeat(100_000) + "@h/" + "%C3%A9".repeat(50_000),
                        "postgresql://h/db?" + "application_name=x&".repeat(50_000),
                        "host='" + "\\'".repeat(100_000),
                        "host=h " + "sslmod=require ".repeat(20_000),
                        "password=" + password + " " + "x".repeat(300_000))
                .toList();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " characters)";
    }
}
