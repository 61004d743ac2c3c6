package io.pgmetrics.exporter.web;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** bcrypt hashes of any cost for the reliability tests, made with the exporter's own bcrypt. */
public final class TestHashes {

    private TestHashes() {}

    public static String bcrypt(String password, int cost) {
        byte[] salt = new byte[BcryptHash.SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return Bcrypt.hash(password.getBytes(StandardCharsets.UTF_8), cost, salt, "2y");
    }
}
