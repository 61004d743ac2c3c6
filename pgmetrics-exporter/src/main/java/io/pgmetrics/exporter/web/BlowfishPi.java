package io.pgmetrics.exporter.web;

import java.math.BigInteger;

/**
 * The initial Blowfish state: the fractional part of pi in hexadecimal, read as 32-bit words (the
 * algorithm's published definition). The words are computed here with Machin's formula instead of being
 * pasted as a table of a thousand constants, which keeps the source short and checkable: the first word
 * must be {@code 0x243F6A88}.
 */
final class BlowfishPi {

    /** 18 P-array words followed by four S-boxes of 256 words. */
    static final int WORDS = 18 + 4 * 256;

    /** Extra low bits so that the truncation errors of the series never reach the bits we keep. */
    private static final int GUARD_BITS = 64;

    private static final int[] DIGITS = compute(WORDS);

    private BlowfishPi() {}

    /** A fresh copy of the first {@link #WORDS} words of pi's fraction. */
    static int[] words() {
        return DIGITS.clone();
    }

    static int[] compute(int count) {
        int keptBits = count * 32;
        int scale = keptBits + GUARD_BITS;
        BigInteger one = BigInteger.ONE.shiftLeft(scale);
        // pi = 16 arctan(1/5) - 4 arctan(1/239), in fixed point with 'scale' fraction bits
        BigInteger pi = arctanOfInverse(5, one).shiftLeft(4).subtract(arctanOfInverse(239, one).shiftLeft(2));
        BigInteger fraction = pi.subtract(BigInteger.valueOf(3).shiftLeft(scale)).shiftRight(GUARD_BITS);
        byte[] bytes = toFixedLength(fraction, keptBits / 8);
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            int b = 4 * i;
            words[i] = (bytes[b] & 0xff) << 24 | (bytes[b + 1] & 0xff) << 16 | (bytes[b + 2] & 0xff) << 8 | (bytes[b + 3] & 0xff);
        }
        return words;
    }

    /** arctan(1/x) * one, by its Taylor series. */
    private static BigInteger arctanOfInverse(int x, BigInteger one) {
        BigInteger xSquared = BigInteger.valueOf((long) x * x);
        BigInteger power = one.divide(BigInteger.valueOf(x));
        BigInteger sum = power;
        for (int k = 1; power.signum() != 0; k++) {
            power = power.divide(xSquared);
            BigInteger term = power.divide(BigInteger.valueOf(2L * k + 1));
            sum = (k & 1) == 1 ? sum.subtract(term) : sum.add(term);
        }
        return sum;
    }

    private static byte[] toFixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
