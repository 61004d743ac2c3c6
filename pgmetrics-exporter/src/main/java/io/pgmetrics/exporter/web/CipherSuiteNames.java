package io.pgmetrics.exporter.web;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cipher suite names the exporter toolkit accepts (those Go's {@code tls.CipherSuites()} lists), mapped
 * to the JDK's names; they are the IANA names in both. Go's insecure suites are refused, as the toolkit does.
 */
final class CipherSuiteNames {

    /** Go's secure suites, TLS 1.0-1.2 and TLS 1.3. */
    static final List<String> ACCEPTED = List.of(
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Suites Go knows but calls insecure; the toolkit refuses them and so do we. */
    private static final Set<String> INSECURE = Set.of(
            "TLS_RSA_WITH_RC4_128_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");

    private CipherSuiteNames() {}

    /** TLS 1.3 suites cannot be chosen in Go (its list applies up to TLS 1.2); they stay enabled here too. */
    static boolean isTls13(String jdkName) {
        return !jdkName.contains("_WITH_");
    }

    /** The JDK name for a toolkit name, or empty with {@link #whyNot} explaining. */
    static Optional<String> jdkName(String name) {
        // Go also defines the old constant names without the _SHA256 suffix for ChaCha20
        String full = name.endsWith("_CHACHA20_POLY1305") ? name + "_SHA256" : name;
        return ACCEPTED.contains(full) ? Optional.of(full) : Optional.empty();
    }

    static String whyNot(String name) {
        if (INSECURE.contains(name)) {
            return "cipher suite " + name + " is insecure and not accepted (the exporter toolkit refuses it too)";
        }
        return "unknown cipher suite '" + name + "'; use one of " + String.join(", ", ACCEPTED);
    }
}
