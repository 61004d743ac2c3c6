package io.pgmetrics.exporter.web;

import java.util.Arrays;

/**
 * A parsed bcrypt hash in the OpenBSD modular-crypt form {@code $2b$10$<22 salt chars><31 hash chars>}.
 * Variants {@code 2a}, {@code 2b} and {@code 2y} are accepted and computed the same way, as Go's bcrypt
 * (which the Prometheus exporter toolkit uses) does. {@link #toString()} never shows the salt or digest.
 */
final class BcryptHash {

    static final int MIN_COST = 4;
    static final int MAX_COST = 31;
    static final int SALT_BYTES = 16;
    static final int DIGEST_BYTES = 23;
    private static final int LENGTH = 60;

    private final String variant;
    private final int cost;
    private final byte[] salt;
    private final byte[] digest;

    private BcryptHash(String variant, int cost, byte[] salt, byte[] digest) {
        this.variant = variant;
        this.cost = cost;
        this.salt = salt;
        this.digest = digest;
    }

    /**
     * Parses a hash.
     *
     * @throws IllegalArgumentException saying what is wrong, without repeating the hash
     */
    static BcryptHash parse(String text) {
        String example =
                "expected a bcrypt hash like $2y$10$ followed by 53 characters (htpasswd -nBC 10 \"\" | tr -d ':\\n' makes one)";
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the hash is empty; " + example);
        }
        if (text.length() < 7 || text.charAt(0) != '$' || text.charAt(3) != '$' || text.charAt(6) != '$') {
            throw new IllegalArgumentException("the value is not in bcrypt's $2y$<cost>$ form; " + example);
        }
        String variant = text.substring(1, 3);
        if (!variant.equals("2a") && !variant.equals("2b") && !variant.equals("2y")) {
            throw new IllegalArgumentException(
                    "unsupported hash variant $" + variant + "$; only bcrypt $2a$, $2b$ and $2y$ are supported");
        }
        char c1 = text.charAt(4);
        char c2 = text.charAt(5);
        if (c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9') {
            throw new IllegalArgumentException("the bcrypt cost must be two digits (04 to 31); " + example);
        }
        int cost = (c1 - '0') * 10 + (c2 - '0');
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost " + cost + " is outside 04..31");
        }
        if (text.length() != LENGTH) {
            throw new IllegalArgumentException("a bcrypt hash has 60 characters, this one has " + text.length()
                    + " (was it truncated, or does it carry a 'user:' prefix or spaces?)");
        }
        try {
            byte[] salt = BcryptBase64.decode(text, 7, 22, SALT_BYTES);
            byte[] digest = BcryptBase64.decode(text, 29, 31, DIGEST_BYTES);
            return new BcryptHash(variant, cost, salt, digest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the salt or digest holds a character outside bcrypt's alphabet [./A-Za-z0-9]");
        }
    }

    String variant() {
        return variant;
    }

    int cost() {
        return cost;
    }

    byte[] salt() {
        return salt.clone();
    }

    /** Whether a password matches, comparing digests in constant time. */
    boolean matches(byte[] password) {
        return java.security.MessageDigest.isEqual(digest, Bcrypt.digest(password, cost, salt));
    }

    /** The canonical text of this hash (what {@code crypt(3)} would print). */
    String encoded() {
        return "$" + variant + "$" + (cost < 10 ? "0" : "") + cost + "$" + BcryptBase64.encode(salt)
                + BcryptBase64.encode(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BcryptHash h
                && h.variant.equals(variant)
                && h.cost == cost
                && Arrays.equals(h.salt, salt)
                && Arrays.equals(h.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * cost + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "bcrypt $" + variant + "$ cost " + cost;
    }
}
