package io.pgmetrics.core.internal.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the Go way ({@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 1.5h}, a sign allowed),
 * exact to the nanosecond: catalog TTLs and timeouts, the web config's rate limit, the exporter's flags.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern PART_OR_DAYS = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d|w)");
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final String[] UNITS = {"h", "m", "s", "ms", "us", "ns"};
    private static final long[] UNIT_NANOS = {
        3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
    };

    private static final String EXPECTED = "write a number with a unit, e.g. 500ms, 30s, 2m, 1h or 1m30s";

    private Durations() {}

    /**
     * Go's {@code time.ParseDuration}: units ns, us (µs), ms, s, m and h; a bare {@code 0} is zero.
     *
     * @throws IllegalArgumentException with a message saying what is expected
     */
    public static Duration parse(String text) {
        return parse(text, PART);
    }

    /** As {@link #parse}, and also d (24h) and w (7d) as Prometheus writes them (the exporter's settings take these). */
    public static Duration parseWithDays(String text) {
        return parse(text, PART_OR_DAYS);
    }

    private static Duration parse(String text, Pattern part) {
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        boolean negative = t.startsWith("-");
        String body = negative || t.startsWith("+") ? t.substring(1) : t;
        if (body.length() > 200) {
            throw new IllegalArgumentException("'" + Messages.abbreviate(text) + "' is not a duration; " + EXPECTED);
        }
        Matcher m = part.matcher(body);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        // anchored part by part (lookingAt, not find), so a long run of digits costs linear time
        while (end < body.length() && m.region(end, body.length()).lookingAt()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            end = m.end();
        }
        if (end == 0 || end != body.length()) {
            throw new IllegalArgumentException("'" + Messages.abbreviate(text) + "' is not a duration; " + EXPECTED);
        }
        BigInteger whole;
        try {
            whole = nanos.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "'" + Messages.abbreviate(text) + "' is finer than a nanosecond; round it");
        }
        if (negative) {
            whole = whole.negate();
        }
        BigInteger[] secondsAndNanos = whole.divideAndRemainder(NANOS_PER_SECOND);
        if (secondsAndNanos[0].bitLength() > 63) {
            throw new IllegalArgumentException("'" + Messages.abbreviate(text) + "' is too long a duration");
        }
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    /** The shortest exact spelling in one unit: 30s, 1500ms, 2h; zero is "0s". */
    public static String format(Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds())
                .multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(duration.getNano()));
        if (nanos.signum() == 0) {
            return "0s";
        }
        for (int i = 0; i < UNITS.length; i++) {
            BigInteger[] qr = nanos.divideAndRemainder(BigInteger.valueOf(UNIT_NANOS[i]));
            if (qr[1].signum() == 0) {
                return qr[0] + UNITS[i];
            }
        }
        throw new AssertionError("a nanosecond divides every duration");
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> 604_800_000_000_000L;
        };
    }
}
