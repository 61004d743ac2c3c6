package io.pgmetrics.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmetrics.core.internal.yaml.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebConfigParsingTest {

    /** htpasswd -nbBC 4 u hello */
    static final String HASH = "$2y$04$FFwCvCINGgjB541wiEyqOeEWaMS4xA8jFZnPld59zZghJz8vjYdMi";

    @TempDir
    Path dir;

    @BeforeEach
    void certificates() throws Exception {
        for (String f : new String[] {
            "server-rsa.pem", "server-rsa.key", "server-two.key", "ca.pem", "encrypted-pkcs8.key", "encrypted-pkcs1.key"
        }) {
            Fixtures.copyTls(f, dir, f);
        }
    }

    private WebConfig load(String yaml) throws WebConfigException, java.io.IOException {
        return WebConfig.load(Fixtures.write(dir, "web.yml", yaml));
    }

    private String file() {
        return dir.resolve("web.yml").toString();
    }

    @Test
    void readsEveryKeyOfTheFormat() throws Exception {
        WebConfig web = load("""
                tls_server_config:
                  cert_file: server-rsa.pem
                  key_file: server-rsa.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.pem
                  client_allowed_sans: [scraper.example]
                  min_version: TLS12
                  max_version: TLS13
                  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]
                  curve_preferences: [X25519, CurveP256]
                  prefer_server_cipher_suites: false
                http_server_config:
                  http2: false
                  headers:
                    X-Frame-Options: deny
                    X-Content-Type-Options: nosniff
                    Strict-Transport-Security: max-age=31536000
                    X-XSS-Protection: ""
                basic_auth_users:
                  alice: %s
                  bob: '%s'
                rate_limit:
                  interval: 100ms
                  burst: 20
                """.formatted(HASH, HASH));
        assertThat(web.tlsEnabled()).isTrue();
        assertThat(web.basicAuthEnabled()).isTrue();
        assertThat(web.headers())
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("X-Frame-Options", "deny"),
                        org.assertj.core.api.Assertions.entry("X-Content-Type-Options", "nosniff"),
                        org.assertj.core.api.Assertions.entry("Strict-Transport-Security", "max-age=31536000"));
        assertThat(web.authenticator()).isPresent();
        assertThat(web.describe())
                .contains(
                        "TLS TLS12-TLS13",
                        "RequireAndVerifyClientCert",
                        "basic auth (2 users)",
                        "rate limit 20 per 100ms")
                .doesNotContain(HASH.substring(7));
        assertThat(web.servedCertificate())
                .get()
                .extracting(c -> c.getSubjectX500Principal().getName())
                .asString()
                .contains("server one");
    }

    @Test
    void aBcryptCostAbove14GetsAWarningAtStart() throws Exception {
        String slow = "$2y$15$FFwCvCINGgjB541wiEyqOeEWaMS4xA8jFZnPld59zZghJz8vjYdMi";
        String usual = "$2y$12$FFwCvCINGgjB541wiEyqOeEWaMS4xA8jFZnPld59zZghJz8vjYdMi";
        WebConfigParser.WebSettings s = WebConfigParser.parse(
                "basic_auth_users:\n  slow: '" + slow + "'\n  usual: '" + usual + "'\n", Path.of("web.yml"));
        assertThat(s.notes())
                .singleElement()
                .asString()
                .contains("web.yml:2:", "basic_auth_users.slow has bcrypt cost 15", "use a cost of 10 to 12");
    }

    @Test
    void anEmptyFileOrEmptySectionsMeanPlainHttpWithoutAuth() throws Exception {
        for (String yaml : new String[] {
            "", "# nothing\n", "tls_server_config:\nbasic_auth_users:\nhttp_server_config:\n", "basic_auth_users: {}\n"
        }) {
            WebConfig web = load(yaml);
            assertThat(web.tlsEnabled()).as(yaml).isFalse();
            assertThat(web.basicAuthEnabled()).as(yaml).isFalse();
            assertThat(web.headers()).isEmpty();
        }
    }

    @Test
    void noneIsPlainHttp() throws Exception {
        assertThat(WebConfig.none().tlsEnabled()).isFalse();
        assertThat(WebConfig.none().authenticator()).isEmpty();
        assertThat(WebConfig.none().file()).isEmpty();
        var server = WebConfig.none()
                .createServer(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        try {
            assertThat(server).isNotInstanceOf(com.sun.net.httpserver.HttpsServer.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void relativePathsAreRelativeToTheConfigFileNotTheWorkingDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("conf"));
        Fixtures.copyTls("server-rsa.pem", sub, "c.pem");
        Fixtures.copyTls("server-rsa.key", sub, "k.pem");
        Path file = Fixtures.write(sub, "web.yml", "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n");
        assertThat(WebConfig.load(file).tlsEnabled()).isTrue();
    }

    @Test
    void inlineCertificateAndKeyAreAccepted() throws Exception {
        String yaml = "tls_server_config:\n  cert: |\n" + indent(Fixtures.tls("server-rsa.pem")) + "  key: |\n"
                + indent(Fixtures.tls("server-rsa-pkcs8.key"));
        assertThat(load(yaml).tlsEnabled()).isTrue();
    }

    private static String indent(String pem) {
        return pem.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    }

    @Test
    void goDurationsAreRead() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("0")).isZero();
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("with a unit");
        assertThatThrownBy(() -> Durations.parse("1 s")).hasMessageContaining("not a duration");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        "tls_config:\n  cert_file: x\n",
                        "1:1: unknown key 'tls_config' in the web configuration; known keys: basic_auth_users, http_server_config, rate_limit, tls_server_config"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  cert_fle: x\n",
                        "4:3: unknown key 'cert_fle' in tls_server_config"),
                Arguments.of("http_server_config:\n  http3: true\n", "2:3: unknown key 'http3' in http_server_config"),
                Arguments.of("rate_limit:\n  every: 1s\n", "2:3: unknown key 'every' in rate_limit"),
                Arguments.of(
                        "basic_auth_users:\n  a: " + HASH + "\nbasic_auth_users:\n  b: " + HASH + "\n",
                        "3:1: key 'basic_auth_users' is repeated"),
                Arguments.of(
                        "basic_auth_users:\n  a: " + HASH + "\n  a: " + HASH + "\n", "3:3: user 'a' is listed twice"),
                Arguments.of(
                        "- a\n- b\n", "1:1: the web configuration must be a map of keys and values, but it is a list"),
                Arguments.of("tls_server_config: yes please\n", "1:20: tls_server_config must be a map"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  client_auth_type: RequireClientCertPlease\n",
                        "4:21: tls_server_config.client_auth_type 'RequireClientCertPlease' is not a client auth type; use one of NoClientCert"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  min_version: TLS1.2\n",
                        "4:16: tls_server_config.min_version 'TLS1.2' is not a TLS version; use TLS10, TLS11, TLS12 or TLS13"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  min_version: TLS13\n  max_version: TLS12\n",
                        "4:16: tls_server_config.min_version TLS13 is above max_version TLS12"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  cipher_suites:\n    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n    - TLS_FANCY_NEW_SUITE\n",
                        "6:7: unknown cipher suite 'TLS_FANCY_NEW_SUITE'; use one of TLS_RSA_WITH_AES_128_CBC_SHA"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n",
                        "4:19: cipher suite TLS_RSA_WITH_RC4_128_SHA is insecure and not accepted"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  cipher_suites: TLS_AES_128_GCM_SHA256\n",
                        "4:18: tls_server_config.cipher_suites must be a list, but it is text"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  curve_preferences: [P256]\n",
                        "4:23: unknown curve 'P256' in tls_server_config.curve_preferences"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n",
                        "1:1: tls_server_config has no private key; set key_file (or key)"),
                Arguments.of(
                        "tls_server_config:\n  key_file: server-rsa.key\n",
                        "1:1: tls_server_config has no certificate; set cert_file (or cert)"),
                Arguments.of(
                        "tls_server_config:\n  min_version: TLS13\n",
                        "1:1: tls_server_config sets TLS options but no certificate"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  cert: x\n  key_file: server-rsa.key\n",
                        "3:3: tls_server_config sets both cert and cert_file; keep one"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  client_ca_file: ca.pem\n",
                        "4:19: a client CA is configured without a client auth policy; set tls_server_config.client_auth_type to RequireAndVerifyClientCert"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n  client_allowed_sans: [a]\n",
                        "6:3: tls_server_config.client_allowed_sans needs a required client certificate"),
                Arguments.of(
                        "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  prefer_server_cipher_suites: maybe\n",
                        "4:32: tls_server_config.prefer_server_cipher_suites must be true or false, but it is text"),
                Arguments.of(
                        "http_server_config:\n  http2: 1\n",
                        "2:10: http_server_config.http2 must be true or false, but it is a number"),
                Arguments.of(
                        "http_server_config:\n  headers:\n    Server: pgmetrics\n",
                        "3:5: HTTP header 'Server' cannot be configured; the allowed ones are Content-Security-Policy"),
                Arguments.of(
                        "http_server_config:\n  headers:\n    X-Frame-Options: allow-from x\n",
                        "3:22: invalid value for X-Frame-Options: 'allow-from x'; use one of deny, sameorigin"),
                Arguments.of(
                        "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
                        "3:29: invalid value for X-Content-Type-Options"),
                Arguments.of("http_server_config:\n  headers: [a]\n", "2:12: http_server_config.headers must be a map"),
                Arguments.of(
                        "basic_auth_users: [alice]\n",
                        "1:19: basic_auth_users must be a map of user names to bcrypt hashes"),
                Arguments.of(
                        "basic_auth_users:\n  alice:\n",
                        "2:9: basic_auth_users.alice must be a bcrypt hash (text like $2y$10$...), but it is nothing"),
                Arguments.of(
                        "basic_auth_users:\n  alice: 12345\n",
                        "2:10: basic_auth_users.alice must be a bcrypt hash (text like $2y$10$...), but it is a number"),
                Arguments.of(
                        "basic_auth_users:\n  alice: hunter2\n",
                        "2:10: basic_auth_users.alice: the value is not in bcrypt's $2y$<cost>$ form"),
                Arguments.of(
                        "basic_auth_users:\n  alice: " + HASH.replace("$2y$", "$2x$") + "\n",
                        "2:10: basic_auth_users.alice: unsupported hash variant $2x$"),
                Arguments.of(
                        "basic_auth_users:\n  alice: " + HASH.substring(0, 50) + "\n",
                        "2:10: basic_auth_users.alice: a bcrypt hash has 60 characters, this one has 50"),
                Arguments.of(
                        "rate_limit:\n  interval: fast\n  burst: 1\n",
                        "2:13: rate_limit.interval: 'fast' is not a duration"),
                Arguments.of("rate_limit:\n  interval: 1s\n  burst: 0\n", "3:10: rate_limit.burst must be at least 1"),
                Arguments.of(
                        "rate_limit:\n  interval: 1s\n  burst: many\n",
                        "3:10: rate_limit.burst must be a whole number"),
                Arguments.of("tls_server_config:\n  cert_file: [a\n", "YAML syntax error"),
                Arguments.of(
                        "basic_auth_users:\n  alice: x\n---\nbasic_auth_users:\n",
                        "the file holds a second YAML document"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void everyMistakeIsReportedWithItsPlace(String yaml, String expected) {
        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(WebConfigException.class)
                .hasMessageContaining(
                        expected.contains(": ") && Character.isDigit(expected.charAt(0))
                                ? file() + ":" + expected
                                : expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(HASH.substring(7)));
    }

    @Test
    void allProblemsOfAFileAreReportedTogether() {
        assertThatThrownBy(
                        () -> load(
                                "tls_server_config:\n  min_version: TLS99\nhttp_server_config:\n  http2: perhaps\nbasic_auth_users:\n  a: b\n"))
                .hasMessageStartingWith("4 problems in the web config file:")
                .hasMessageContaining(file() + ":2:16:")
                .hasMessageContaining(file() + ":4:10:")
                .hasMessageContaining(file() + ":6:6:")
                .hasMessageContaining(file() + ":1:1: tls_server_config sets TLS options but no certificate");
    }

    @Test
    void problemsWithTheNamedFilesSayWhichSettingAndFile() {
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_file: missing.pem\n  key_file: server-rsa.key\n"))
                .hasMessage(
                        file() + ":2:14: tls_server_config.cert_file " + dir.resolve("missing.pem")
                                + ": file does not exist; check the path (a relative path is relative to the web config file's directory)");
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_file: server-rsa.key\n  key_file: server-rsa.key\n"))
                .hasMessageContaining(
                        "tls_server_config.cert_file " + dir.resolve("server-rsa.key") + ": holds no certificate");
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.pem\n"))
                .hasMessageContaining(
                        "tls_server_config.key_file " + dir.resolve("server-rsa.pem") + ": holds no private key");
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-two.key\n"))
                .hasMessageContaining("3:13: tls_server_config.key_file " + dir.resolve("server-two.key")
                        + ": does not match the certificate in tls_server_config.cert_file");
        assertThatThrownBy(() ->
                        load("tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: encrypted-pkcs8.key\n"))
                .hasMessageContaining("holds an encrypted private key");
        assertThatThrownBy(() ->
                        load("tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: encrypted-pkcs1.key\n"))
                .hasMessageContaining("holds an encrypted private key");
        assertThatThrownBy(
                        () -> load(
                                "tls_server_config:\n  cert_file: server-rsa.pem\n  key_file: server-rsa.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: server-rsa.key\n"))
                .hasMessageContaining("tls_server_config.client_ca_file " + dir.resolve("server-rsa.key")
                        + ": holds no CA certificate");
    }

    @Test
    void keyMaterialNeverAppearsInMessages() {
        String key = Fixtures.tls("server-two.key");
        String body = key.lines().skip(1).findFirst().orElseThrow();
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_file: server-rsa.pem\n  key: |\n" + indent(key)))
                .hasMessageContaining("tls_server_config.key (inline PEM): does not match")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body));
    }

    @Test
    void aMissingOrUnreadableFileIsAClearError() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> WebConfig.load(missing))
                .isInstanceOf(WebConfigException.class)
                .hasMessage(missing + ": the web config file does not exist; check --web.config.file");
    }
}
