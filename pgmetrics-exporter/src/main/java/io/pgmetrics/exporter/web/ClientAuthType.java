package io.pgmetrics.exporter.web;

import java.util.Arrays;
import java.util.Optional;

/** The exporter toolkit's client certificate policies (Go's {@code tls.ClientAuthType} names). */
enum ClientAuthType {
    /** No certificate is asked for. */
    NoClientCert(false, false, false),
    /** A certificate is asked for but not required, and not verified. */
    RequestClientCert(true, false, false),
    /** A certificate is required but not verified against a CA (only proof of its private key). */
    RequireAnyClientCert(true, true, false),
    /** A certificate is optional, but verified when given. */
    VerifyClientCertIfGiven(true, false, true),
    /** A certificate signed by the client CA is required: mutual TLS. */
    RequireAndVerifyClientCert(true, true, true);

    final boolean asks;
    final boolean requires;
    final boolean verifies;

    ClientAuthType(boolean asks, boolean requires, boolean verifies) {
        this.asks = asks;
        this.requires = requires;
        this.verifies = verifies;
    }

    /** By name; "RequireClientCert" is the toolkit's old spelling of RequireAnyClientCert. */
    static Optional<ClientAuthType> named(String name) {
        if (name.equals("RequireClientCert")) {
            return Optional.of(RequireAnyClientCert);
        }
        return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
    }
}
