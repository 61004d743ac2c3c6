package io.pgmetrics.exporter.web;

/**
 * bcrypt's own base64: the usual 6-bit grouping, big-endian, without padding, over the alphabet
 * {@code ./A-Za-z0-9} (which sorts differently from RFC 4648's).
 */
final class BcryptBase64 {

    private static final char[] ALPHABET =
            "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private BcryptBase64() {}

    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 4 + 2) / 3);
        for (int i = 0; i < bytes.length; i += 3) {
            int b0 = bytes[i] & 0xff;
            int b1 = i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0;
            int b2 = i + 2 < bytes.length ? bytes[i + 2] & 0xff : 0;
            out.append(ALPHABET[b0 >>> 2]);
            out.append(ALPHABET[(b0 & 0x03) << 4 | b1 >>> 4]);
            if (i + 1 < bytes.length) {
                out.append(ALPHABET[(b1 & 0x0f) << 2 | b2 >>> 6]);
            }
            if (i + 2 < bytes.length) {
                out.append(ALPHABET[b2 & 0x3f]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes {@code length} characters of {@code text} from {@code offset} into {@code byteCount} bytes; bits
     * of the last character beyond them are ignored (crypt implementations do not agree on them).
     *
     * @throws IllegalArgumentException for a character outside the alphabet
     */
    static byte[] decode(String text, int offset, int length, int byteCount) {
        byte[] out = new byte[byteCount];
        int accumulator = 0;
        int bits = 0;
        int written = 0;
        for (int i = 0; i < length && written < byteCount; i++) {
            accumulator = accumulator << 6 | value(text.charAt(offset + i));
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[written++] = (byte) (accumulator >>> bits);
                accumulator &= (1 << bits) - 1;
            }
        }
        if (written != byteCount) {
            throw new IllegalArgumentException("too few characters");
        }
        return out;
    }

    private static int value(char c) {
        int v = c < 128 ? VALUES[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("not a bcrypt base64 character");
        }
        return v;
    }
}
