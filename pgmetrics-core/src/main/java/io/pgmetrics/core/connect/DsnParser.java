package io.pgmetrics.core.connect;

import java.util.Locale;

/**
 * Reads the three DSN forms: libpq URLs, libpq {@code key=value} strings and pgjdbc URLs. Error
 * positions are 1-based indexes into the text as given.
 */
final class DsnParser {

    private static final String EXAMPLES = "write a URL such as postgresql://user@host:5432/dbname or key=value"
            + " pairs such as host=db port=5432 user=monitor dbname=postgres";

    private final String text;
    private final DsnParts parts = new DsnParts();

    private DsnParser(String text) {
        this.text = text;
    }

    static Dsn parse(String text) {
        if (text == null) {
            throw new DsnException("no DSN given; " + EXAMPLES, -1, null);
        }
        checkCharacters(text);
        int start = 0;
        while (start < text.length() && isSpace(text.charAt(start))) {
            start++;
        }
        int end = text.length();
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new DsnException("the DSN is empty; " + EXAMPLES, -1, null);
        }
        DsnParser parser = new DsnParser(text);
        String head = text.substring(start, Math.min(end, start + 16)).toLowerCase(Locale.ROOT);
        if (head.startsWith("postgresql://")) {
            parser.url(start + "postgresql://".length(), end, false);
        } else if (head.startsWith("postgres://")) {
            parser.url(start + "postgres://".length(), end, false);
        } else if (head.startsWith("jdbc:postgresql:")) {
            parser.jdbc(start + "jdbc:postgresql:".length(), end);
        } else if (head.startsWith("jdbc:") || hasUrlScheme(text, start, end)) {
            throw DsnException.at(
                    start,
                    "unsupported URL scheme; use postgresql://, postgres:// or"
                            + " jdbc:postgresql://, or key=value pairs");
        } else {
            parser.keyValues(start);
        }
        return parser.parts.build();
    }

    /** NUL cannot reach the server, and an unpaired surrogate is not text: both mean a broken input. */
    private static void checkCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw DsnException.at(i, "the DSN contains a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw DsnException.at(i, "the DSN is not valid Unicode text (unpaired surrogate)");
            }
        }
    }

    private static boolean hasUrlScheme(String text, int start, int end) {
        int i = start;
        if (i >= end || !isAsciiLetter(text.charAt(i))) {
            return false;
        }
        while (i < end
                && (isAsciiLetter(text.charAt(i))
                        || Character.isDigit(text.charAt(i))
                        || "+.-".indexOf(text.charAt(i)) >= 0)) {
            i++;
        }
        return text.startsWith("://", i);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** libpq's isspace(): what separates key=value pairs. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    private int indexOfAny(String chars, int from, int to) {
        for (int i = from; i < to; i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return to;
    }

    /**
     * {@code [user[:password]@][host[:port][,...]][/dbname][?key=value&...]}, everything after the
     * scheme. The user info ends at the last {@code @} before the path, so a password with an
     * unescaped {@code @} still works.
     */
    private void url(int from, int end, boolean jdbc) {
        int authorityEnd = indexOfAny("/?", from, end);
        int at = text.lastIndexOf('@', authorityEnd - 1);
        if (at >= from) {
            int colon = indexOf(':', from, at);
            parts.set("user", PercentEncoding.decode(text, from, colon, jdbc), from);
            if (colon < at) {
                parts.set("password", PercentEncoding.decode(text, colon + 1, at, jdbc), colon + 1);
            }
        }
        int hostsFrom = at >= from ? at + 1 : from;
        if (hostsFrom < authorityEnd) {
            hostList(hostsFrom, authorityEnd, jdbc);
        }
        int i = authorityEnd;
        if (i < end && text.charAt(i) == '/') {
            int q = indexOf('?', i + 1, end);
            parts.set("dbname", PercentEncoding.decode(text, i + 1, q, jdbc), i + 1);
            i = q;
        }
        if (i < end && text.charAt(i) == '?') {
            query(i + 1, end, jdbc);
        }
    }

    /** {@code host[:port]} entries separated by commas; an IPv6 address in brackets. */
    private void hostList(int from, int to, boolean jdbc) {
        int i = from;
        while (true) {
            String host;
            int hostIndex = i;
            if (i < to && text.charAt(i) == '[') {
                int close = indexOf(']', i + 1, to);
                if (close == to) {
                    throw DsnException.at(i, "'[' opens an IPv6 address that is not closed: write [address]:port");
                }
                host = text.substring(i + 1, close);
                if (host.isEmpty() || !DsnParts.validHost(host) || host.indexOf(':') < 0) {
                    throw DsnException.at(i + 1, "not an IPv6 address: write [address]:port, e.g. [::1]:5432");
                }
                i = close + 1;
                if (i < to && text.charAt(i) != ':' && text.charAt(i) != ',') {
                    throw DsnException.at(i, "expected ':' and a port, or ',' and another host, after ']'");
                }
            } else {
                int stop = indexOfAny(":,", i, to);
                host = PercentEncoding.decode(text, i, stop, jdbc);
                i = stop;
            }
            String port = "";
            int portIndex = i;
            if (i < to && text.charAt(i) == ':') {
                int stop = indexOf(',', i + 1, to);
                portIndex = i + 1;
                port = PercentEncoding.decode(text, i + 1, stop, jdbc);
                i = stop;
            }
            parts.urlHost(host, hostIndex, port, portIndex);
            if (i >= to) {
                return;
            }
            i++; // past ','; a trailing comma adds an empty (default) host, as in libpq
        }
    }

    private void query(int from, int end, boolean jdbc) {
        int i = from;
        while (i < end) {
            int amp = indexOf('&', i, end);
            if (amp > i) {
                int eq = indexOf('=', i, amp);
                if (eq == amp) {
                    throw DsnException.at(i, "expected key=value in the query part (parameters are separated by '&')");
                }
                if (eq == i) {
                    throw DsnException.at(i, "'=' without a parameter name before it");
                }
                String key = PercentEncoding.decode(text, i, eq, jdbc);
                String value = PercentEncoding.decode(text, eq + 1, amp, jdbc);
                parts.set(key, value, i);
            }
            i = amp + 1;
        }
    }

    /** {@code jdbc:postgresql://hosts/db?...}, {@code jdbc:postgresql:db} or {@code jdbc:postgresql:/}. */
    private void jdbc(int from, int end) {
        parts.pgjdbcSsl();
        if (text.startsWith("//", from)) {
            url(from + 2, end, true);
            return;
        }
        int q = indexOf('?', from, end);
        int dbFrom = from < q && text.charAt(from) == '/' ? from + 1 : from;
        parts.set("dbname", PercentEncoding.decode(text, dbFrom, q, true), dbFrom);
        if (q < end) {
            query(q + 1, end, true);
        }
    }

    /**
     * libpq's {@code key = value} pairs separated by white space. A value is single-quoted to hold
     * spaces; inside or outside quotes a backslash takes the next character literally.
     */
    private void keyValues(int from) {
        int end = text.length(); // not trimmed: a trailing "\ " is an escaped space
        int i = from;
        while (true) {
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= end) {
                return;
            }
            int keyStart = i;
            while (i < end && text.charAt(i) != '=' && !isSpace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i);
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= end || text.charAt(i) != '=') {
                throw DsnException.at(
                        keyStart,
                        "expected key=value, found a word without '='; if it belongs"
                                + " to the value before, put that value in single quotes: key='a b'");
            }
            if (key.isEmpty()) {
                throw DsnException.at(keyStart, "'=' without a parameter name before it");
            }
            i++;
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < end && text.charAt(i) == '\'') {
                int quote = i++;
                while (true) {
                    if (i >= end) {
                        String problem =
                                "the quoted value is not closed; end it with ' (write \\' for a quote" + " inside)";
                        throw ParameterRules.isKnown(key)
                                ? DsnException.forKey(key, quote, problem)
                                : DsnException.at(quote, problem);
                    }
                    char c = text.charAt(i++);
                    if (c == '\\') {
                        if (i < end) {
                            value.append(text.charAt(i++));
                        }
                    } else if (c == '\'') {
                        break;
                    } else {
                        value.append(c);
                    }
                }
            } else {
                while (i < end && !isSpace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\') {
                        if (i < end) {
                            value.append(text.charAt(i++));
                        }
                    } else {
                        value.append(c);
                    }
                }
            }
            parts.set(key, value.toString(), keyStart);
        }
    }
}
