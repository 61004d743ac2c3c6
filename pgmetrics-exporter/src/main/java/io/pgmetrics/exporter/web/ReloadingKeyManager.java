package io.pgmetrics.exporter.web;

import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves the configured certificate and re-reads the certificate and key files when they change, checked at
 * each TLS handshake (a stat of two files). A bad or half-written new pair is logged and the previous one
 * stays in use until the files change again, so a rotation never takes the endpoint down.
 *
 * <p>Each loaded pair gets its own alias, so a handshake that chose one pair is served that pair's key even
 * if another handshake loads a newer one meanwhile.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final System.Logger LOG = System.getLogger(ReloadingKeyManager.class.getName());

    private record Loaded(String alias, ServerIdentity identity) {}

    private final PemSource certSource;
    private final PemSource keySource;
    private volatile Loaded current;
    private volatile Loaded previous;
    private volatile List<FileStamp> lastFailure = List.of();
    private int generation;

    ReloadingKeyManager(PemSource certSource, PemSource keySource, ServerIdentity initial) {
        this.certSource = certSource;
        this.keySource = keySource;
        this.current = new Loaded(alias(0), initial);
    }

    /** The pair in use after checking the files. */
    ServerIdentity identity() {
        return refresh().identity();
    }

    private Loaded refresh() {
        Loaded now = current;
        List<FileStamp> stamp = List.of(certSource.stamp(), keySource.stamp());
        if (stamp.equals(now.identity().stamp()) || stamp.equals(lastFailure)) {
            return now;
        }
        synchronized (this) {
            now = current;
            if (stamp.equals(now.identity().stamp()) || stamp.equals(lastFailure)) {
                return now;
            }
            try {
                ServerIdentity fresh = ServerIdentity.load(certSource, keySource);
                Loaded loaded = new Loaded(alias(++generation), fresh);
                previous = now;
                current = loaded;
                LOG.log(
                        Level.INFO,
                        "TLS certificate reloaded from "
                                + certSource.file().map(Object::toString).orElse("inline PEM") + ": "
                                + fresh.leaf().getSubjectX500Principal().getName() + ", valid until "
                                + fresh.leaf().getNotAfter().toInstant());
                return loaded;
            } catch (WebConfigException e) {
                lastFailure = stamp;
                LOG.log(
                        Level.WARNING,
                        "TLS certificate files changed but cannot be used; still serving the previous certificate: "
                                + e.getMessage());
                return now;
            }
        }
    }

    private static String alias(int generation) {
        return "pgmetrics-server-" + generation;
    }

    private Loaded byAlias(String alias) {
        Loaded c = current;
        if (c.alias().equals(alias)) {
            return c;
        }
        Loaded p = previous;
        return p != null && p.alias().equals(alias) ? p : null;
    }

    private String choose(String keyType) {
        Loaded loaded = refresh();
        return keyType == null || keyType.equalsIgnoreCase(loaded.identity().keyType()) ? loaded.alias() : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = choose(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Loaded loaded = byAlias(alias);
        return loaded == null ? null : loaded.identity().chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Loaded loaded = byAlias(alias);
        return loaded == null ? null : loaded.identity().key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
