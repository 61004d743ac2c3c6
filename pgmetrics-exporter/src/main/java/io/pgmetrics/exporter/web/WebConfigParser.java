package io.pgmetrics.exporter.web;

import io.pgmetrics.core.internal.yaml.Spelling;
import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Entry;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlNode.Scalar;
import io.pgmetrics.core.internal.yaml.YamlNode.ScalarType;
import io.pgmetrics.core.internal.yaml.YamlTree;
import io.pgmetrics.core.yaml.Location;
import io.pgmetrics.core.yaml.YamlException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the Prometheus exporter-toolkit web configuration format strictly: an unknown or repeated key, a
 * value of the wrong type or an invalid combination is an error at its line and column. Every problem of
 * the file is reported at once. File contents (certificates, keys) are not read here.
 */
final class WebConfigParser {

    /** What a file holds once parsed. */
    record WebSettings(
            Optional<TlsSettings> tls,
            boolean http2,
            Map<String, String> headers,
            Map<String, BcryptHash> users,
            Optional<RateLimitSettings> rateLimit,
            List<String> notes) {}

    record RateLimitSettings(Duration interval, int burst) {}

    /** Above this bcrypt cost a start-up warning says what each uncached login costs (cost 31: days of CPU). */
    static final int MAX_SENSIBLE_COST = 14;

    private static final Set<String> TOP_KEYS =
            Set.of("tls_server_config", "http_server_config", "basic_auth_users", "rate_limit");
    private static final Set<String> TLS_KEYS = Set.of(
            "cert",
            "key",
            "client_ca",
            "cert_file",
            "key_file",
            "client_auth_type",
            "client_ca_file",
            "cipher_suites",
            "curve_preferences",
            "min_version",
            "max_version",
            "prefer_server_cipher_suites",
            "client_allowed_sans");
    private static final Set<String> HTTP_KEYS = Set.of("http2", "headers");
    private static final Set<String> RATE_KEYS = Set.of("interval", "burst");
    private static final Set<String> CURVES = Set.of("CurveP256", "CurveP384", "CurveP521", "X25519");

    /** The headers the toolkit lets a configuration set, with their allowed values (empty: any value). */
    private static final Map<String, List<String>> HEADERS = Map.of(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());

    private final Path file;
    private final Path directory;

    private record Problem(Location where, String message) {}

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private WebConfigParser(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        this.directory = parent == null ? Path.of("") : parent;
    }

    /**
     * Parses the text of a web config file.
     *
     * @param file names the file in messages; relative certificate paths are resolved against its directory
     */
    static WebSettings parse(String text, Path file) throws WebConfigException {
        YamlNode root;
        try {
            root = YamlTree.parse(text, file.toString());
        } catch (YamlException e) {
            throw new WebConfigException(e.getMessage());
        }
        return new WebConfigParser(file).parseRoot(root);
    }

    private WebSettings parseRoot(YamlNode root) throws WebConfigException {
        Optional<TlsSettings> tls = Optional.empty();
        boolean http2 = true;
        Map<String, String> headers = Map.of();
        Map<String, BcryptHash> users = Map.of();
        Optional<RateLimitSettings> rateLimit = Optional.empty();
        if (!root.isNull()) {
            Map<String, Entry> top = entries(root, "the web configuration", TOP_KEYS);
            if (top != null) {
                tls = section(top, "tls_server_config").flatMap(e -> tls(e));
                Optional<Map<String, Entry>> http = section(top, "http_server_config")
                        .map(e -> entries(e.value(), "http_server_config", HTTP_KEYS));
                if (http.isPresent() && http.get() != null) {
                    http2 = bool(http.get().get("http2"), "http_server_config.http2")
                            .orElse(true);
                    headers = headers(http.get().get("headers"));
                }
                users = section(top, "basic_auth_users").map(this::users).orElse(Map.of());
                rateLimit = section(top, "rate_limit").flatMap(this::rateLimit);
            }
        }
        if (!problems.isEmpty()) {
            String heading = problems.size() == 1 ? "" : problems.size() + " problems in the web config file:\n  ";
            List<String> lines = problems.stream()
                    .sorted(java.util.Comparator.comparing(Problem::where))
                    .map(p -> p.where() + ": " + p.message())
                    .toList();
            throw new WebConfigException(heading + String.join("\n  ", lines));
        }
        return new WebSettings(tls, http2, headers, users, rateLimit, List.copyOf(notes));
    }

    // ---- sections

    private Optional<TlsSettings> tls(Entry section) {
        Map<String, Entry> e = entries(section.value(), "tls_server_config", TLS_KEYS);
        if (e == null || e.isEmpty()) {
            return Optional.empty();
        }
        Optional<PemSource> cert = pem(e, "cert", "cert_file");
        Optional<PemSource> key = pem(e, "key", "key_file");
        Optional<PemSource> clientCa = pem(e, "client_ca", "client_ca_file");
        Optional<ClientAuthType> clientAuth = text(e.get("client_auth_type"), "tls_server_config.client_auth_type")
                .flatMap(name -> {
                    Optional<ClientAuthType> type = ClientAuthType.named(name);
                    if (type.isEmpty()) {
                        problem(
                                e.get("client_auth_type").value().location(),
                                "tls_server_config.client_auth_type '" + name
                                        + "' is not a client auth type; use one of NoClientCert, RequestClientCert, RequireAnyClientCert, "
                                        + "VerifyClientCertIfGiven, RequireAndVerifyClientCert");
                    }
                    return type;
                });
        TlsVersion min = version(e, "min_version").orElse(TlsVersion.TLS12);
        TlsVersion max = version(e, "max_version").orElse(TlsVersion.TLS13);
        List<String> suites = cipherSuites(e.get("cipher_suites"));
        List<String> curves =
                strings(e.get("curve_preferences"), "tls_server_config.curve_preferences", (name, where) -> {
                    if (!CURVES.contains(name)) {
                        problem(
                                where,
                                "unknown curve '" + name
                                        + "' in tls_server_config.curve_preferences; use CurveP256, CurveP384, CurveP521 or X25519");
                    }
                });
        boolean preferServer = bool(
                        e.get("prefer_server_cipher_suites"), "tls_server_config.prefer_server_cipher_suites")
                .orElse(true);
        List<String> sans =
                strings(e.get("client_allowed_sans"), "tls_server_config.client_allowed_sans", (name, where) -> {});

        Location at = section.keyLocation();
        boolean enabled = cert.isPresent() || key.isPresent() || clientCa.isPresent() || clientAuth.isPresent();
        if (!enabled) {
            if (!suites.isEmpty()
                    || !curves.isEmpty()
                    || !sans.isEmpty()
                    || e.containsKey("min_version")
                    || e.containsKey("max_version")) {
                problem(
                        at,
                        "tls_server_config sets TLS options but no certificate; add cert_file and key_file, or remove the section to serve plain HTTP");
            }
            return Optional.empty();
        }
        if (cert.isEmpty()) {
            problem(
                    at,
                    "tls_server_config has no certificate; set cert_file (or cert) to the server's PEM certificate chain");
        }
        if (key.isEmpty()) {
            problem(at, "tls_server_config has no private key; set key_file (or key) to the server's PEM private key");
        }
        ClientAuthType auth = clientAuth.orElse(ClientAuthType.NoClientCert);
        if (clientCa.isPresent() && !auth.asks) {
            problem(
                    clientCa.get().where(),
                    "a client CA is configured without a client auth policy; set tls_server_config.client_auth_type "
                            + "to RequireAndVerifyClientCert for mutual TLS");
        }
        if (!sans.isEmpty() && !auth.requires) {
            problem(
                    e.get("client_allowed_sans").keyLocation(),
                    "tls_server_config.client_allowed_sans needs a required client certificate; set "
                            + "client_auth_type to RequireAndVerifyClientCert (it is " + auth + ")");
        }
        if (min.compareTo(max) > 0) {
            problem(
                    e.get("min_version").value().location(),
                    "tls_server_config.min_version " + min + " is above max_version " + max);
        }
        if (min.compareTo(TlsVersion.TLS12) < 0) {
            notes.add(file + ": min_version " + min + " asks for TLS below 1.2, which this JDK disables by default "
                    + "(jdk.tls.disabledAlgorithms); such clients will still be refused");
        }
        if (!curves.isEmpty()) {
            notes.add(
                    file
                            + ": tls_server_config.curve_preferences is accepted but not applied; the JDK's default key exchange groups are used");
        }
        if (cert.isEmpty() || key.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new TlsSettings(cert.get(), key.get(), clientCa, auth, min, max, suites, curves, preferServer, sans));
    }

    private Map<String, String> headers(Entry entry) {
        if (entry == null || entry.value().isNull()) {
            return Map.of();
        }
        if (!(entry.value() instanceof MapNode map)) {
            problem(
                    entry.value().location(),
                    "http_server_config.headers must be a map of header names to values, but it is "
                            + entry.value().typeName());
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Entry h : map.entries()) {
            Optional<String> name = HEADERS.keySet().stream()
                    .filter(k -> k.equalsIgnoreCase(h.key()))
                    .findFirst();
            if (name.isEmpty()) {
                problem(
                        h.keyLocation(),
                        "HTTP header '" + h.key() + "' cannot be configured; the allowed ones are "
                                + String.join(", ", new java.util.TreeSet<>(HEADERS.keySet())));
                continue;
            }
            if (!seen.add(name.get())) {
                problem(h.keyLocation(), "header " + name.get() + " is set twice in http_server_config.headers");
                continue;
            }
            Optional<String> value = text(h, "http_server_config.headers." + name.get());
            if (value.isEmpty() || value.get().isEmpty()) {
                continue; // the toolkit leaves a blank header unset
            }
            List<String> allowed = HEADERS.get(name.get());
            if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> a.equalsIgnoreCase(value.get()))) {
                problem(
                        h.value().location(),
                        "invalid value for " + name.get() + ": '" + value.get() + "'; use one of "
                                + String.join(", ", allowed));
                continue;
            }
            headers.put(name.get(), value.get());
        }
        return java.util.Collections.unmodifiableMap(headers);
    }

    private Map<String, BcryptHash> users(Entry section) {
        if (section.value().isNull()) {
            return Map.of();
        }
        if (!(section.value() instanceof MapNode map)) {
            problem(
                    section.value().location(),
                    "basic_auth_users must be a map of user names to bcrypt hashes, but it is "
                            + section.value().typeName());
            return Map.of();
        }
        Map<String, BcryptHash> users = new LinkedHashMap<>();
        for (Entry u : map.entries()) {
            if (users.containsKey(u.key())) {
                problem(u.keyLocation(), "user '" + u.key() + "' is listed twice in basic_auth_users");
                continue;
            }
            if (!(u.value() instanceof Scalar s) || s.type() != ScalarType.TEXT) {
                problem(
                        u.value().location(),
                        "basic_auth_users." + u.key() + " must be a bcrypt hash (text like $2y$10$...), but it is "
                                + u.value().typeName() + "; quote the hash if it is not read as text");
                continue;
            }
            try {
                users.put(u.key(), BcryptHash.parse(s.text()));
            } catch (IllegalArgumentException e) {
                problem(u.value().location(), "basic_auth_users." + u.key() + ": " + e.getMessage());
                continue;
            }
            int cost = users.get(u.key()).cost();
            if (cost > MAX_SENSIBLE_COST) {
                notes.add(u.value().location() + ": basic_auth_users." + u.key() + " has bcrypt cost " + cost
                        + ", about "
                        + (1L << (cost - 10)) / 10 + " s of CPU for each login not cached (cost 10 takes ~0.1 s):"
                        + " every new or wrong password can tie up a core; use a cost of 10 to 12");
            }
            if (u.key().contains(":")) {
                notes.add(u.keyLocation() + ": user name '" + u.key()
                        + "' contains ':', which HTTP basic auth cannot send; this user can never log in");
            }
        }
        return java.util.Collections.unmodifiableMap(users);
    }

    private Optional<RateLimitSettings> rateLimit(Entry section) {
        Map<String, Entry> e = entries(section.value(), "rate_limit", RATE_KEYS);
        if (e == null || e.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> interval =
                value(e.get("interval"), v -> Spelling.GO_YAML.duration(v, "rate_limit.interval"));
        Optional<Integer> burst = integer(e.get("burst"), "rate_limit.burst");
        if (interval.isEmpty() || interval.get().isZero()) {
            return Optional.empty(); // the toolkit's way of disabling it
        }
        if (interval.get().isNegative()) {
            problem(e.get("interval").value().location(), "rate_limit.interval must not be negative");
            return Optional.empty();
        }
        if (burst.isEmpty() || burst.get() < 1) {
            problem(
                    e.containsKey("burst") ? e.get("burst").value().location() : section.keyLocation(),
                    "rate_limit.burst must be at least 1 when an interval is set (with 0 every request would be refused)");
            return Optional.empty();
        }
        return Optional.of(new RateLimitSettings(interval.get(), burst.get()));
    }

    // ---- typed values

    private Optional<PemSource> pem(Map<String, Entry> e, String inlineKey, String fileKey) {
        Optional<String> inline =
                text(e.get(inlineKey), "tls_server_config." + inlineKey).filter(t -> !t.isEmpty());
        Optional<String> path =
                text(e.get(fileKey), "tls_server_config." + fileKey).filter(t -> !t.isEmpty());
        if (inline.isPresent() && path.isPresent()) {
            problem(
                    e.get(inlineKey).keyLocation(),
                    "tls_server_config sets both " + inlineKey + " and " + fileKey + "; keep one");
            return Optional.empty();
        }
        if (path.isPresent()) {
            return Optional.of(PemSource.ofFile(
                    "tls_server_config." + fileKey, e.get(fileKey).value().location(), directory.resolve(path.get())));
        }
        return inline.map(t -> PemSource.ofText(
                "tls_server_config." + inlineKey, e.get(inlineKey).value().location(), t));
    }

    private Optional<TlsVersion> version(Map<String, Entry> e, String key) {
        return text(e.get(key), "tls_server_config." + key).flatMap(name -> {
            Optional<TlsVersion> v = TlsVersion.named(name);
            if (v.isEmpty()) {
                problem(
                        e.get(key).value().location(),
                        "tls_server_config." + key + " '" + name
                                + "' is not a TLS version; use TLS10, TLS11, TLS12 or TLS13");
            }
            return v;
        });
    }

    private List<String> cipherSuites(Entry entry) {
        List<String> jdkNames = new ArrayList<>();
        strings(entry, "tls_server_config.cipher_suites", (name, where) -> {
            Optional<String> jdk = CipherSuiteNames.jdkName(name);
            if (jdk.isEmpty()) {
                problem(where, CipherSuiteNames.whyNot(name));
            } else if (!jdkNames.contains(jdk.get())) {
                jdkNames.add(jdk.get());
            }
        });
        return List.copyOf(jdkNames);
    }

    private interface ItemCheck {
        void check(String item, Location where);
    }

    private List<String> strings(Entry entry, String what, ItemCheck check) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : value(entry, v -> v.asList(what)).orElse(List.of())) {
            if (item instanceof Scalar s && !s.isNull()) {
                check.check(s.text(), s.location());
                out.add(s.text());
            } else {
                problem(item.location(), what + " items must be text, but this one is " + item.typeName());
            }
        }
        return List.copyOf(out);
    }

    private Optional<String> text(Entry entry, String what) {
        return value(entry, v -> v.asText(what));
    }

    private Optional<Boolean> bool(Entry entry, String what) {
        return value(entry, v -> Spelling.GO_YAML.bool(v, what));
    }

    private Optional<Integer> integer(Entry entry, String what) {
        return value(entry, v -> Spelling.GO_YAML.integer(v, what));
    }

    /** An entry's value as {@code read} gives it; empty when the entry is absent or null, or (noted) when read refuses it. */
    private <T> Optional<T> value(Entry entry, Function<YamlNode, T> read) {
        if (entry == null || entry.value().isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.apply(entry.value()));
        } catch (YamlException e) {
            problem(e);
            return Optional.empty();
        }
    }

    /** The entries of a map node by key, reporting unknown and repeated keys; null when the node is not a map. */
    private Map<String, Entry> entries(YamlNode node, String what, Set<String> known) {
        MapNode map;
        try {
            map = node.asMap(what);
        } catch (YamlException e) {
            problem(e);
            return null;
        }
        map.keyProblems(known, what).forEach(this::problem);
        Map<String, Entry> byKey = new HashMap<>();
        for (Entry e : map.entries()) {
            if (known.contains(e.key())) {
                byKey.putIfAbsent(e.key(), e);
            }
        }
        return byKey;
    }

    private static Optional<Entry> section(Map<String, Entry> top, String key) {
        return Optional.ofNullable(top.get(key));
    }

    private void problem(Location where, String message) {
        problems.add(new Problem(where, message));
    }

    private void problem(YamlException e) {
        problem(e.location(), e.problem());
    }
}
