package io.pgmetrics.exporter.web;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The TLS side of the web configuration: an {@link SSLContext} whose certificate (and client CA) follow
 * their files, and the per-connection parameters (protocol versions, cipher suites, client auth policy).
 */
final class TlsServer {

    private final TlsSettings settings;
    private final ReloadingKeyManager keyManager;
    private final SSLContext context;
    private final List<String> cipherSuites;

    private TlsServer(
            TlsSettings settings, ReloadingKeyManager keyManager, SSLContext context, List<String> cipherSuites) {
        this.settings = settings;
        this.keyManager = keyManager;
        this.context = context;
        this.cipherSuites = cipherSuites;
    }

    /** Reads the certificate, key and client CA and checks them, so that a mistake stops the start. */
    static TlsServer create(TlsSettings settings) throws WebConfigException {
        ServerIdentity identity = ServerIdentity.load(settings.cert(), settings.key());
        ReloadingKeyManager keyManager = new ReloadingKeyManager(settings.cert(), settings.key(), identity);
        ClientTrustManager trustManager = ClientTrustManager.create(settings);
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
        } catch (GeneralSecurityException e) {
            throw new WebConfigException("cannot set up TLS (" + e.getClass().getSimpleName() + ")");
        }
        return new TlsServer(settings, keyManager, context, cipherSuites(settings, context));
    }

    /**
     * The configured suites (for TLS up to 1.2) followed by the JDK's TLS 1.3 suites, which Go does not let a
     * configuration restrict either; empty when none are configured (JDK defaults).
     */
    private static List<String> cipherSuites(TlsSettings settings, SSLContext context) throws WebConfigException {
        if (settings.cipherSuites().isEmpty()) {
            return List.of();
        }
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        List<String> suites = new ArrayList<>();
        for (String suite : settings.cipherSuites()) {
            if (!supported.contains(suite)) {
                throw new WebConfigException(
                        "tls_server_config.cipher_suites: " + suite + " is not supported by this JDK; remove it");
            }
            suites.add(suite);
        }
        for (String suite : context.getDefaultSSLParameters().getCipherSuites()) {
            if (CipherSuiteNames.isTls13(suite) && !suites.contains(suite)) {
                suites.add(suite);
            }
        }
        return List.copyOf(suites);
    }

    /** Fresh parameters for one connection. */
    SSLParameters parameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(settings.protocols().toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            p.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        p.setUseCipherSuitesOrder(settings.preferServerCipherSuites());
        ClientAuthType auth = settings.clientAuth();
        if (auth.requires) {
            p.setNeedClientAuth(true);
        } else if (auth.asks) {
            p.setWantClientAuth(true);
        } else {
            p.setNeedClientAuth(false);
            p.setWantClientAuth(false);
        }
        return p;
    }

    HttpsConfigurator configurator() {
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(parameters());
            }
        };
    }

    SSLContext context() {
        return context;
    }

    /** The certificate served now (after checking its files). */
    X509Certificate certificate() {
        return keyManager.identity().leaf();
    }

    String describe() {
        String versions = settings.minVersion() == settings.maxVersion()
                ? settings.minVersion().name()
                : settings.minVersion() + "-" + settings.maxVersion();
        return "TLS " + versions + ", client certificates: " + settings.clientAuth()
                + (settings.clientAllowedSans().isEmpty()
                        ? ""
                        : " (allowed SANs: " + settings.clientAllowedSans().size() + ")")
                + (cipherSuites.isEmpty()
                        ? ""
                        : ", cipher suites: " + settings.cipherSuites().size() + " configured");
    }

    @Override
    public String toString() {
        return describe();
    }
}
