package io.pgmetrics.core.internal.publish;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Text written as UTF-8 straight into a byte array that goes to the stream when full: what a
 * BufferedWriter over an OutputStreamWriter does, without its lock, its checks and its char buffer
 * on every call (a tenth of a scrape's CPU went to those layers). Characters the text format escapes
 * are escaped on the way. An unpaired surrogate becomes '?', as the JDK's UTF-8 encoder writes it.
 * Not thread-safe.
 */
public final class Utf8Buffer {

    private final OutputStream out;
    private final byte[] buf;
    private int n;

    public Utf8Buffer(OutputStream out, int size) {
        if (size < 8) {
            throw new IllegalArgumentException("buffer of " + size + " bytes");
        }
        this.out = out;
        this.buf = new byte[size];
    }

    /** One ASCII character. */
    public void ascii(char c) throws IOException {
        if (n == buf.length) {
            flushBuffer();
        }
        buf[n++] = (byte) c;
    }

    /** Bytes already encoded (a name written for many samples, encoded once). */
    public void bytes(byte[] b) throws IOException {
        if (b.length > buf.length - n) {
            flushBuffer();
            if (b.length > buf.length) {
                out.write(b);
                return;
            }
        }
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    public void text(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (n == buf.length) {
                    flushBuffer();
                }
                buf[n++] = (byte) c;
            } else {
                i = encode(s, i);
            }
        }
    }

    /**
     * Text with the text format's escapes: backslash and newline always, the double quote when
     * {@code quote} (label values; HELP text keeps it).
     */
    public void escaped(String s, boolean quote) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                i = encode(s, i);
            } else if (c == '\\') {
                ascii('\\');
                ascii('\\');
            } else if (c == '\n') {
                ascii('\\');
                ascii('n');
            } else if (c == '"' && quote) {
                ascii('\\');
                ascii('"');
            } else {
                if (n == buf.length) {
                    flushBuffer();
                }
                buf[n++] = (byte) c;
            }
        }
    }

    /** A whole number in decimal, without a string. */
    public void decimal(long v) throws IOException {
        if (n + 20 > buf.length) {
            flushBuffer();
        }
        if (v < 0) {
            buf[n++] = '-';
        }
        int start = n;
        do {
            buf[n++] = (byte) ('0' + Math.abs(v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = start, j = n - 1; i < j; i++, j--) { // the digits came last first
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    /** Writes what is buffered to the stream (which is not flushed itself). */
    public void flushBuffer() throws IOException {
        if (n > 0) {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    /** Encodes the non-ASCII character at {@code i} (with its low surrogate); returns the index of its last char. */
    private int encode(String s, int i) throws IOException {
        if (n + 4 > buf.length) {
            flushBuffer();
        }
        char c = s.charAt(i);
        if (c < 0x800) {
            buf[n++] = (byte) (0xC0 | (c >> 6));
            buf[n++] = (byte) (0x80 | (c & 0x3F));
            return i;
        }
        if (!Character.isSurrogate(c)) {
            buf[n++] = (byte) (0xE0 | (c >> 12));
            buf[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buf[n++] = (byte) (0x80 | (c & 0x3F));
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[n++] = (byte) (0xF0 | (cp >> 18));
            buf[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[n++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        }
        buf[n++] = '?';
        return i;
    }
}
