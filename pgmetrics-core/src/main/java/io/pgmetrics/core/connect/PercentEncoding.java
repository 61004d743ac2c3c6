package io.pgmetrics.core.connect;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of URL parts ({@code %40} for {@code @}), as libpq and pgjdbc read them. */
final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {}

    /** Encodes everything but RFC 3986's unreserved characters, so any text survives any URL part. */
    static String encode(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unreserved(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
            i = end - 1;
        }
        return out == null ? s : out.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }

    /**
     * Decodes {@code text[from, to)}. Runs of {@code %XX} are read as UTF-8; other characters are
     * kept. {@code plusIsSpace} follows pgjdbc, which decodes its URLs the way HTML forms are
     * encoded; libpq keeps {@code +} as it is.
     */
    static String decode(String text, int from, int to, boolean plusIsSpace) {
        int firstSpecial = from;
        while (firstSpecial < to
                && text.charAt(firstSpecial) != '%'
                && !(plusIsSpace && text.charAt(firstSpecial) == '+')) {
            firstSpecial++;
        }
        if (firstSpecial == to) {
            return text.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from).append(text, from, firstSpecial);
        int i = firstSpecial;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '+' && plusIsSpace) {
                out.append(' ');
                i++;
            } else if (c != '%') {
                out.append(c);
                i++;
            } else {
                int runStart = i;
                ByteBuffer bytes = ByteBuffer.allocate((to - i) / 3 + 1);
                while (i < to && text.charAt(i) == '%') {
                    int hi = i + 1 < to ? Character.digit(text.charAt(i + 1), 16) : -1;
                    int lo = i + 2 < to ? Character.digit(text.charAt(i + 2), 16) : -1;
                    if (hi < 0 || lo < 0 || text.charAt(i + 1) > 'f' || text.charAt(i + 2) > 'f') {
                        throw DsnException.at(i, "'%' must be followed by two hexadecimal digits (write %25 for '%')");
                    }
                    bytes.put((byte) (hi << 4 | lo));
                    i += 3;
                }
                bytes.flip();
                out.append(utf8(bytes, runStart));
            }
        }
        return out.toString();
    }

    private static CharBuffer utf8(ByteBuffer bytes, int index) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(bytes);
        } catch (CharacterCodingException e) {
            throw DsnException.at(index, "the percent-encoded bytes here are not UTF-8 text");
        }
    }
}
