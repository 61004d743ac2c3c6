package io.pgmetrics.exporter.web;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides about client certificates following the toolkit's {@code client_auth_type}: verified against the
 * client CA (re-read when its file changes; the JDK's default CAs when none is configured), or accepted
 * without verification for the "Request"/"RequireAny" policies; then, when {@code client_allowed_sans} is
 * set, the certificate must carry one of those names exactly. Names are only matched on a chain the
 * client CA verified, whatever the policy: with "RequireAny" alone a self-signed certificate could claim any
 * name.
 */
final class ClientTrustManager extends X509ExtendedTrustManager {

    private static final System.Logger LOG = System.getLogger(ClientTrustManager.class.getName());
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Verifier(X509ExtendedTrustManager delegate, List<FileStamp> stamp) {}

    private final ClientAuthType policy;
    private final Optional<PemSource> caSource;
    private final List<String> allowedSans;
    private final boolean verifiesChain;
    private volatile Verifier verifier;
    private volatile List<FileStamp> lastFailure = List.of();

    private ClientTrustManager(
            ClientAuthType policy, Optional<PemSource> caSource, List<String> allowedSans, Verifier verifier) {
        this.policy = policy;
        this.caSource = caSource;
        this.allowedSans =
                allowedSans.stream().map(ClientTrustManager::normalize).toList();
        this.verifiesChain = policy.verifies || !allowedSans.isEmpty();
        this.verifier = verifier;
    }

    static ClientTrustManager create(TlsSettings settings) throws WebConfigException {
        boolean verifies =
                settings.clientAuth().verifies || !settings.clientAllowedSans().isEmpty();
        Verifier verifier = verifies ? load(settings.clientCa()) : null;
        return new ClientTrustManager(
                settings.clientAuth(), settings.clientCa(), settings.clientAllowedSans(), verifier);
    }

    private static Verifier load(Optional<PemSource> caSource) throws WebConfigException {
        List<FileStamp> stamp = List.of(caSource.map(PemSource::stamp).orElse(FileStamp.NONE));
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (caSource.isEmpty()) {
                factory.init((KeyStore) null); // the JDK's default CAs, as Go uses the system roots
            } else {
                List<X509Certificate> cas;
                try {
                    cas = Pem.certificates(Pem.blocks(caSource.get().read()));
                } catch (IllegalArgumentException e) {
                    throw caSource.get().problem(e.getMessage());
                } catch (CertificateException e) {
                    throw caSource.get().problem("holds a certificate that cannot be parsed");
                }
                if (cas.isEmpty()) {
                    throw caSource.get().problem("holds no CA certificate; expected PEM blocks 'BEGIN CERTIFICATE'");
                }
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("client-ca-" + i, cas.get(i));
                }
                factory.init(store);
            }
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new Verifier(x, stamp);
                }
            }
            throw new WebConfigException("the JDK offers no X.509 trust manager for client certificates");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new WebConfigException("cannot set up client certificate verification ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private X509ExtendedTrustManager delegate() {
        Verifier now = verifier;
        if (caSource.isEmpty()) {
            return now.delegate();
        }
        List<FileStamp> stamp = List.of(caSource.get().stamp());
        if (stamp.equals(now.stamp()) || stamp.equals(lastFailure)) {
            return now.delegate();
        }
        synchronized (this) {
            now = verifier;
            if (stamp.equals(now.stamp()) || stamp.equals(lastFailure)) {
                return now.delegate();
            }
            try {
                verifier = load(caSource);
                LOG.log(
                        Level.INFO,
                        "client CA reloaded from "
                                + caSource.get().file().map(Object::toString).orElse("inline PEM"));
                return verifier.delegate();
            } catch (WebConfigException e) {
                lastFailure = stamp;
                LOG.log(
                        Level.WARNING,
                        "client CA file changed but cannot be used; still using the previous one: " + e.getMessage());
                return now.delegate();
            }
        }
    }

    private void checkNames(X509Certificate[] chain) throws CertificateException {
        if (allowedSans.isEmpty()) {
            return;
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException("a client certificate with an allowed SAN is required");
        }
        List<String> found = subjectAltNames(chain[0]);
        for (String name : found) {
            if (allowedSans.contains(name)) {
                return;
            }
        }
        throw new CertificateException(
                "the client certificate carries none of the SANs allowed by client_allowed_sans");
    }

    /** DNS, e-mail, URI and IP entries, IPs in a canonical form so that "::1" matches "0:0:0:0:0:0:0:1". */
    private static List<String> subjectAltNames(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        if (names == null) {
            return out;
        }
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            if ((type == 1 || type == 2 || type == 6 || type == 7) && entry.get(1) instanceof String value) {
                out.add(type == 7 ? normalize(value) : value);
            }
        }
        return out;
    }

    private static String normalize(String name) {
        if (!IP_LITERAL.matcher(name).matches()) {
            return name;
        }
        try {
            return InetAddress.getByName(name).getHostAddress(); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            return name;
        }
    }

    private void check(X509Certificate[] chain, String authType, SSLEngine engine, Socket socket)
            throws CertificateException {
        if (verifiesChain) {
            if (engine != null) {
                delegate().checkClientTrusted(chain, authType, engine);
            } else if (socket != null) {
                delegate().checkClientTrusted(chain, authType, socket);
            } else {
                delegate().checkClientTrusted(chain, authType);
            }
        }
        checkNames(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, authType, engine, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, authType, null, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, authType, null, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the exporter's TLS server does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the exporter's TLS server does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the exporter's TLS server does not verify servers");
    }

    /** The CAs announced to clients; none when certificates are not verified (any certificate will do). */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifiesChain ? delegate().getAcceptedIssuers() : new X509Certificate[0];
    }
}
