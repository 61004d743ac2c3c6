package io.pgmetrics.exporter.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM as OpenSSL and Go write it: certificates, and unencrypted private keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form. The
 * latter two are wrapped into PKCS#8 so the JDK's key factories can read them. Messages never quote the
 * content.
 */
final class Pem {

    /** One {@code -----BEGIN type-----} block, decoded. */
    record Block(String type, boolean hasHeaders, byte[] der) {}

    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH"};

    private Pem() {}

    /**
     * The blocks of a PEM text, in order; text outside blocks is ignored, as OpenSSL does.
     *
     * @throws IllegalArgumentException for an unterminated block or bad base64
     */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        String type = null;
        boolean headers = false;
        StringBuilder body = new StringBuilder();
        for (String raw : text.split("\r?\n|\r")) {
            String line = raw.strip();
            if (type == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    type = line.substring(11, line.length() - 5);
                    headers = false;
                    body.setLength(0);
                }
            } else if (line.startsWith("-----END ")) {
                if (!line.equals("-----END " + type + "-----")) {
                    throw new IllegalArgumentException("PEM block " + type + " ends with a different END line");
                }
                try {
                    blocks.add(new Block(type, headers, Base64.getDecoder().decode(body.toString())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PEM block " + type + " is not valid base64");
                }
                type = null;
            } else if (line.contains(":")) {
                headers = true; // RFC 1421 headers such as Proc-Type: 4,ENCRYPTED
            } else {
                body.append(line.replaceAll("\\s", ""));
            }
        }
        if (type != null) {
            throw new IllegalArgumentException("PEM block " + type + " has no END line");
        }
        return blocks;
    }

    /** The certificates of all CERTIFICATE blocks, in order (leaf first for a chain). */
    static List<X509Certificate> certificates(List<Block> blocks) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b.type().equals("CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        return out;
    }

    /**
     * The first private key of the blocks.
     *
     * @throws IllegalArgumentException when there is none, it is encrypted, or it cannot be read
     */
    static PrivateKey privateKey(List<Block> blocks) {
        for (Block b : blocks) {
            switch (b.type()) {
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    if (b.hasHeaders()) {
                        throw encrypted();
                    }
                    return pkcs8(sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, b.der()))));
                }
                case "EC PRIVATE KEY" -> {
                    if (b.hasHeaders()) {
                        throw encrypted();
                    }
                    byte[] curve = ecCurveOid(b.der());
                    byte[] algorithm = sequence(concat(EC_PUBLIC_KEY_OID, curve));
                    return pkcs8(sequence(concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, b.der()))));
                }
                default -> {
                    // CERTIFICATE, EC PARAMETERS and others are not keys
                }
            }
        }
        throw new IllegalArgumentException(
                "holds no private key; expected a PEM block 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY'");
    }

    private static IllegalArgumentException encrypted() {
        return new IllegalArgumentException(
                "holds an encrypted private key, which cannot be used without its passphrase; "
                        + "decrypt it once with: openssl pkey -in key.pem -out key-plain.pem");
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("holds a private key this JDK cannot read (expected RSA, EC or Ed25519)");
    }

    /**
     * The named-curve OID (as a whole DER element) from a SEC 1 ECPrivateKey:
     * {@code SEQUENCE { INTEGER 1, OCTET STRING, [0] OID OPTIONAL, [1] BIT STRING OPTIONAL }}.
     */
    private static byte[] ecCurveOid(byte[] der) {
        Der outer = new Der(der, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("holds an EC PRIVATE KEY that is not a DER sequence");
        }
        int p = outer.contentStart;
        while (p < outer.end) {
            Der element = new Der(der, p);
            if (element.tag == 0xa0) {
                Der oid = new Der(der, element.contentStart);
                if (oid.tag == 0x06) {
                    return java.util.Arrays.copyOfRange(der, element.contentStart, oid.end);
                }
            }
            p = element.end;
        }
        throw new IllegalArgumentException(
                "holds an EC PRIVATE KEY without its curve name; write it with: openssl pkey -in key.pem -out key-pkcs8.pem");
    }

    /** The tag and extent of one DER element (definite lengths only, as DER requires). */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] der, int offset) {
            if (offset + 2 > der.length) {
                throw new IllegalArgumentException("holds a truncated key");
            }
            tag = der[offset] & 0xff;
            int length = der[offset + 1] & 0xff;
            int p = offset + 2;
            if (length > 0x80) {
                int bytes = length - 0x80;
                if (bytes > 3 || p + bytes > der.length) {
                    throw new IllegalArgumentException("holds a malformed key");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = length << 8 | (der[p++] & 0xff);
                }
            } else if (length == 0x80) {
                throw new IllegalArgumentException("holds a malformed key");
            }
            contentStart = p;
            end = p + length;
            if (end > der.length) {
                throw new IllegalArgumentException("holds a truncated key");
            }
        }
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
