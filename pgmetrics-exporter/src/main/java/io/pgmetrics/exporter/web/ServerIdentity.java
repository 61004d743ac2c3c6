package io.pgmetrics.exporter.web;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;

/**
 * A server certificate chain with its private key, read from PEM and checked to belong together.
 *
 * @param stamp the change stamps of the certificate and key files when they were read
 */
record ServerIdentity(X509Certificate[] chain, PrivateKey key, List<FileStamp> stamp) {

    /** Reads and checks the pair; the message of a failure names the setting and file, never the content. */
    static ServerIdentity load(PemSource certSource, PemSource keySource) throws WebConfigException {
        // stamps first: if a file changes while we read it, the next handshake sees a new stamp and reads again
        List<FileStamp> stamp = List.of(certSource.stamp(), keySource.stamp());
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(Pem.blocks(certSource.read()));
        } catch (IllegalArgumentException e) {
            throw certSource.problem(e.getMessage());
        } catch (CertificateException e) {
            throw certSource.problem(
                    "holds a certificate that cannot be parsed; check that it is a PEM X.509 certificate");
        }
        if (chain.isEmpty()) {
            throw certSource.problem(
                    "holds no certificate; expected one or more PEM blocks 'BEGIN CERTIFICATE' (server certificate first)");
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(Pem.blocks(keySource.read()));
        } catch (IllegalArgumentException e) {
            throw keySource.problem(e.getMessage());
        }
        if (!belongTogether(chain.get(0).getPublicKey(), key)) {
            throw keySource.problem("does not match the certificate in " + certSource.setting()
                    + "; use the key the certificate was issued for");
        }
        return new ServerIdentity(chain.toArray(X509Certificate[]::new), key, stamp);
    }

    X509Certificate leaf() {
        return chain[0];
    }

    /** The key algorithm as the JDK names it in key manager requests: RSA, EC, EdDSA, RSASSA-PSS. */
    String keyType() {
        return key.getAlgorithm();
    }

    private static boolean belongTogether(PublicKey publicKey, PrivateKey key) {
        if (publicKey instanceof RSAKey pub && key instanceof RSAKey priv) {
            return pub.getModulus().equals(priv.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return publicKey.getAlgorithm().equals(key.getAlgorithm());
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
