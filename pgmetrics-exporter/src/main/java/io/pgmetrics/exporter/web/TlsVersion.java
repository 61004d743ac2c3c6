package io.pgmetrics.exporter.web;

import java.util.Arrays;
import java.util.Optional;

/** TLS protocol versions in the toolkit's spelling, with the JDK's protocol names. */
enum TlsVersion {
    TLS10("TLSv1"),
    TLS11("TLSv1.1"),
    TLS12("TLSv1.2"),
    TLS13("TLSv1.3");

    final String jdkName;

    TlsVersion(String jdkName) {
        this.jdkName = jdkName;
    }

    static Optional<TlsVersion> named(String name) {
        return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
    }
}
