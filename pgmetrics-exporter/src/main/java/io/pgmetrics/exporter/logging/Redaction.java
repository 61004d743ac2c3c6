package io.pgmetrics.exporter.logging;

import java.util.regex.Pattern;

/**
 * Removes passwords from text before it is logged: the password of a URL's user-info
 * ({@code postgresql://u:secret@h}, raw '@' in it included), {@code password=...} in key=value strings and URL queries
 * (quoted values included) and JSON-ish {@code "password":"..."}. A second line of defence: the
 * code never puts a password in a message on purpose.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Redaction {

    private static final String MASK = "****";
    /**
     * As the DSN parser reads a URL: the user runs to the first ':', the password to the last '@' before
     * the path or query, so raw '@' (and ':' or spaces) in a password are masked too; a line that has
     * more '@' later on the same stretch loses a little more than the password, never less.
     */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/?\\s]*:)([^/?\\n]*)(@)");

    private static final Pattern KEY_VALUE_QUOTED =
            Pattern.compile("((?:password|sslpassword)\\s*=\\s*)'(?:[^'\\\\]|\\\\.)*'", Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_VALUE =
            Pattern.compile("((?:password|sslpassword)\\s*=\\s*)[^\\s&'\"]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern JSON = Pattern.compile(
            "(\"(?:password|sslpassword)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", Pattern.CASE_INSENSITIVE);

    private Redaction() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = URL_PASSWORD.matcher(text).replaceAll("$1" + MASK + "$3");
        s = KEY_VALUE_QUOTED.matcher(s).replaceAll("$1" + MASK);
        s = KEY_VALUE.matcher(s).replaceAll(m -> m.group().endsWith(MASK) ? m.group() : m.group(1) + MASK);
        return JSON.matcher(s).replaceAll("$1\"" + MASK + "\"");
    }
}
