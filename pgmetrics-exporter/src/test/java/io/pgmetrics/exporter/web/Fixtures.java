package io.pgmetrics.exporter.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test data: the committed PEM fixtures (see tls/generate.sh) and client-side SSL contexts built from them. */
final class Fixtures {

    private Fixtures() {}

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tls(String name) {
        return text("tls/" + name);
    }

    /** Copies a fixture to {@code dir/as}, replacing what is there (as a rotation would). */
    static Path copyTls(String name, Path dir, String as) throws IOException {
        Path target = dir.resolve(as);
        Path temp = Files.createTempFile(dir, ".incoming", ".pem");
        Files.writeString(temp, tls(name));
        return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A client context trusting the test CA, presenting the given client certificate when not null. */
    static SSLContext clientContext(String clientCert, String clientKey) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca", Pem.certificates(Pem.blocks(tls("ca.pem"))).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            List<X509Certificate> chain = Pem.certificates(Pem.blocks(tls(clientCert)));
            PrivateKey key = Pem.privateKey(Pem.blocks(tls(clientKey)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, "pw".toCharArray(), chain.toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
