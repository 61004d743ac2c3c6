package io.pgmetrics.exporter.web;

import java.util.List;
import java.util.Optional;

/**
 * The {@code tls_server_config} section, validated but not yet loaded: certificates and keys are read by
 * {@link TlsServer}.
 *
 * @param cipherSuites JDK names in the configured order; empty means the JDK's defaults
 * @param curvePreferences accepted for compatibility; the JDK 17 server cannot set them per server
 * @param clientAllowedSans when not empty, a client certificate must carry one of these SANs exactly
 */
record TlsSettings(
        PemSource cert,
        PemSource key,
        Optional<PemSource> clientCa,
        ClientAuthType clientAuth,
        TlsVersion minVersion,
        TlsVersion maxVersion,
        List<String> cipherSuites,
        List<String> curvePreferences,
        boolean preferServerCipherSuites,
        List<String> clientAllowedSans) {

    /** The JDK protocol names from the minimum to the maximum version. */
    List<String> protocols() {
        return java.util.Arrays.stream(TlsVersion.values())
                .filter(v -> v.compareTo(minVersion) >= 0 && v.compareTo(maxVersion) <= 0)
                .map(v -> v.jdkName)
                .toList();
    }
}
