package io.pgmetrics.exporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void rsaKeysInPkcs1AndPkcs8AreTheSameKey() {
        PrivateKey pkcs1 = Pem.privateKey(Pem.blocks(Fixtures.tls("server-rsa.key")));
        PrivateKey pkcs8 = Pem.privateKey(Pem.blocks(Fixtures.tls("server-rsa-pkcs8.key")));
        assertThat(Fixtures.tls("server-rsa.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(pkcs1).isInstanceOf(RSAPrivateCrtKey.class);
        assertThat(pkcs1.getEncoded()).isEqualTo(pkcs8.getEncoded());
    }

    @Test
    void ecKeysInSec1AfterAnEcParametersBlockAndInPkcs8AreTheSameKey() {
        String sec1 = Fixtures.tls("server-ec.key");
        assertThat(sec1).startsWith("-----BEGIN EC PARAMETERS-----").contains("-----BEGIN EC PRIVATE KEY-----");
        ECPrivateKey a = (ECPrivateKey) Pem.privateKey(Pem.blocks(sec1));
        ECPrivateKey b = (ECPrivateKey) Pem.privateKey(Pem.blocks(Fixtures.tls("server-ec-pkcs8.key")));
        assertThat(a.getS()).isEqualTo(b.getS());
        assertThat(a.getParams().getCurve()).isEqualTo(b.getParams().getCurve());
    }

    @Test
    void ed25519KeysAreRead() {
        assertThat(Pem.privateKey(Pem.blocks(Fixtures.tls("ed25519.key"))).getAlgorithm())
                .isIn("EdDSA", "Ed25519");
    }

    @Test
    void aCertificateChainKeepsItsOrder() throws Exception {
        var chain = Pem.certificates(Pem.blocks(Fixtures.tls("server-rsa.pem") + Fixtures.tls("ca.pem")));
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("server one");
        assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("test CA");
    }

    @Test
    void encryptedAndMissingKeysAreRefusedClearly() {
        assertThatThrownBy(() -> Pem.privateKey(Pem.blocks(Fixtures.tls("encrypted-pkcs8.key"))))
                .hasMessageContaining("encrypted private key");
        assertThatThrownBy(() -> Pem.privateKey(Pem.blocks(Fixtures.tls("encrypted-pkcs1.key"))))
                .hasMessageContaining("encrypted private key");
        assertThatThrownBy(() -> Pem.privateKey(Pem.blocks(Fixtures.tls("ca.pem"))))
                .hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> Pem.blocks("-----BEGIN CERTIFICATE-----\nAAAA\n"))
                .hasMessageContaining("has no END line");
        assertThatThrownBy(() -> Pem.blocks("-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n"))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() ->
                        Pem.privateKey(Pem.blocks("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")))
                .hasMessageContaining("cannot read");
    }
}
