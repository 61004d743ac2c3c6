package io.pgmetrics.exporter.web;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt (Provos and Mazières, 1999): the expensive Blowfish key schedule "EksBlowfishSetup" keyed by the
 * password and a 128-bit salt, repeated 2^cost times, then 64 encryptions of "OrpheanBeholderScryDoubt".
 * Written from the published description; checked against hashes made by glibc's crypt(3) and htpasswd.
 *
 * <p>The password's bytes are followed by a NUL and only the first 72 bytes count, as in every mainstream
 * implementation.
 */
final class Bcrypt {

    private static final int MAX_KEY_BYTES = 72;
    private static final byte[] MAGIC = "OrpheanBeholderScryDoubt".getBytes(StandardCharsets.US_ASCII);

    private Bcrypt() {}

    /** The 23-byte digest that a hash string carries after its salt. */
    static byte[] digest(byte[] password, int cost, byte[] salt) {
        if (cost < BcryptHash.MIN_COST || cost > BcryptHash.MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be 4..31");
        }
        if (salt.length != BcryptHash.SALT_BYTES) {
            throw new IllegalArgumentException("bcrypt salt must be 16 bytes");
        }
        int[] key = cyclicWords(keyBytes(password), 18);
        int[] saltWords = cyclicWords(salt, 4);
        int[] saltAsKey = cyclicWords(salt, 18);
        State state = new State();
        state.expand(key, saltWords);
        long rounds = 1L << cost;
        int[] zero = new int[4];
        for (long r = 0; r < rounds; r++) {
            state.expand(key, zero);
            state.expand(saltAsKey, zero);
        }
        int[] text = cyclicWords(MAGIC, 6);
        for (int i = 0; i < 64; i++) {
            for (int block = 0; block < 6; block += 2) {
                state.encipher(text, block);
            }
        }
        byte[] out = new byte[BcryptHash.DIGEST_BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (text[i / 4] >>> (24 - 8 * (i % 4)));
        }
        return out;
    }

    /** A full hash string, e.g. for tests and for the decoy hash used for unknown users. */
    static String hash(byte[] password, int cost, byte[] salt, String variant) {
        byte[] d = digest(password, cost, salt);
        return "$" + variant + "$" + (cost < 10 ? "0" : "") + cost + "$" + BcryptBase64.encode(salt)
                + BcryptBase64.encode(d);
    }

    private static byte[] keyBytes(byte[] password) {
        int length = Math.min(password.length, MAX_KEY_BYTES);
        byte[] key = new byte[length + 1]; // the trailing NUL is part of the key
        System.arraycopy(password, 0, key, 0, length);
        return key;
    }

    /** {@code count} big-endian words read from {@code bytes}, wrapping around to its start as needed. */
    private static int[] cyclicWords(byte[] bytes, int count) {
        int[] words = new int[count];
        int p = 0;
        for (int i = 0; i < count; i++) {
            int w = 0;
            for (int b = 0; b < 4; b++) {
                w = w << 8 | (bytes[p] & 0xff);
                p = p + 1 == bytes.length ? 0 : p + 1;
            }
            words[i] = w;
        }
        return words;
    }

    /** Blowfish's subkeys: the P-array (18 words) and four S-boxes (4 x 256 words, stored one after another). */
    private static final class State {
        private final int[] p;
        private final int[] s;

        State() {
            int[] pi = BlowfishPi.words();
            p = java.util.Arrays.copyOfRange(pi, 0, 18);
            s = java.util.Arrays.copyOfRange(pi, 18, BlowfishPi.WORDS);
        }

        /**
         * The key schedule with a salt: XOR the key into the P-array, then replace P and S by successive
         * encryptions of a block that is XORed with the salt before each one. The key words repeat every 18
         * words; the salt (four words) alternates its halves block after block.
         */
        void expand(int[] keyWords, int[] saltWords) {
            for (int i = 0; i < 18; i++) {
                p[i] ^= keyWords[i];
            }
            int[] block = new int[2];
            int saltIndex = 0;
            for (int i = 0; i < 18; i += 2) {
                block[0] ^= saltWords[saltIndex];
                block[1] ^= saltWords[saltIndex + 1];
                saltIndex ^= 2;
                encipher(block, 0);
                p[i] = block[0];
                p[i + 1] = block[1];
            }
            for (int i = 0; i < s.length; i += 2) {
                block[0] ^= saltWords[saltIndex];
                block[1] ^= saltWords[saltIndex + 1];
                saltIndex ^= 2;
                encipher(block, 0);
                s[i] = block[0];
                s[i + 1] = block[1];
            }
        }

        /** Encrypts the 64-bit block at {@code data[offset..offset+1]} in place (16 Feistel rounds). */
        void encipher(int[] data, int offset) {
            int[] sb = s;
            int[] pa = p;
            int l = data[offset] ^ pa[0];
            int r = data[offset + 1];
            for (int i = 1; i <= 16; i += 2) {
                r ^= (((sb[l >>> 24] + sb[256 | (l >>> 16) & 0xff]) ^ sb[512 | (l >>> 8) & 0xff]) + sb[768 | l & 0xff])
                        ^ pa[i];
                l ^= (((sb[r >>> 24] + sb[256 | (r >>> 16) & 0xff]) ^ sb[512 | (r >>> 8) & 0xff]) + sb[768 | r & 0xff])
                        ^ pa[i + 1];
            }
            data[offset] = r ^ pa[17];
            data[offset + 1] = l;
        }
    }
}
