package io.pgmetrics.core.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Conversions of result values to metric values and label text. */
final class Values {

    private Values() {}

    /** A value as a number, or null when it has none (NULL, or text that is not a number). */
    static Double number(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Instant t) {
            return t.toEpochMilli() / 1000.0;
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toEpochMilli() / 1000.0;
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli() / 1000.0;
        }
        if (value instanceof LocalDate d) {
            return (double) d.toEpochDay() * 86400;
        }
        if (value instanceof Duration d) {
            return d.toNanos() / 1e9 * 1000; // as milliseconds, like a plain number in a DURATION column
        }
        if (value instanceof String s) {
            return parseNumber(s.trim());
        }
        return null;
    }

    private static Double parseNumber(String s) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "t":
            case "true":
            case "on":
                return 1.0;
            case "f":
            case "false":
            case "off":
                return 0.0;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    /** Label text: NULL is "", booleans true/false, numbers without a useless ".0". */
    static String label(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof double[] a) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < a.length; i++) {
                sb.append(i > 0 ? "," : "").append(label(a[i]));
            }
            return sb.append('}').toString();
        }
        return value.toString();
    }

    private static final Pattern GO_DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern PG_INTERVAL = Pattern.compile(
            "^\\s*(?:(-?\\d+) years?)?\\s*(?:(-?\\d+) mons?)?\\s*(?:(-?\\d+) days?)?\\s*(?:(-)?(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?))?\\s*$");

    /**
     * A DURATION value in seconds: a PostgreSQL interval (as text or a Duration), a Go duration
     * ("300ms", "1h2m3.5s"), or a plain number meaning milliseconds. Null when unparseable.
     */
    static Double durationSeconds(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration d) {
            return d.toNanos() / 1e9;
        }
        if (value instanceof Number n) {
            return n.doubleValue() / 1000.0;
        }
        String s = value.toString().trim();
        if (s.isEmpty()) {
            return null;
        }
        Double plain = parseNumber(s);
        if (plain != null) {
            return plain / 1000.0;
        }
        Double go = goDuration(s);
        return go != null ? go : pgInterval(s);
    }

    private static Double goDuration(String s) {
        boolean negative = s.startsWith("-");
        String body = negative || s.startsWith("+") ? s.substring(1) : s;
        Matcher m = GO_DURATION.matcher(body);
        double total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            double n = Double.parseDouble(m.group(1));
            total += switch (m.group(2)) {
                case "ns" -> n / 1e9;
                case "us", "µs" -> n / 1e6;
                case "ms" -> n / 1e3;
                case "s" -> n;
                case "m" -> n * 60;
                default -> n * 3600;
            };
            end = m.end();
        }
        return end == body.length() && end > 0 ? (negative ? -total : total) : null;
    }

    private static Double pgInterval(String s) {
        Matcher m = PG_INTERVAL.matcher(s);
        if (!m.matches() || s.isBlank()) {
            return null;
        }
        double seconds = 0;
        seconds += group(m, 1) * 365.25 * 86400;
        seconds += group(m, 2) * 30 * 86400;
        seconds += group(m, 3) * 86400;
        if (m.group(5) != null) {
            double clock = Long.parseLong(m.group(5)) * 3600
                    + Long.parseLong(m.group(6)) * 60
                    + Double.parseDouble(m.group(7));
            seconds += m.group(4) != null ? -clock : clock;
        }
        return seconds;
    }

    private static long group(Matcher m, int i) {
        return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
    }

    /** A metric name part from free text: anything but letters, digits and '_' becomes '_'. */
    static String sanitize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return sb.toString();
    }
}
