package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.VersionRange;
import io.pgmetrics.core.internal.yaml.Messages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * postgres_exporter's and CloudNativePG's {@code runonserver}: a semantic-version range such as
 * {@code ">=12.0.0 <15.0.0"} (comparators joined by spaces are ANDed, {@code ||} ORs alternatives; the
 * operators are {@code >= > <= < = ==} and {@code !=}), turned into the PostgreSQL versions it admits as
 * disjoint {@link VersionRange}s.
 *
 * <p>A server's semantic version is "16.4.0" for 16.4 and "9.6.24" for 9.6.24, as both peers compute it,
 * and comparisons follow semver exactly: {@code <=15.0.0} admits 15.0 but not 15.1.
 */
final class SemverRange {

    /** Server versions as half-open intervals of {@code server_version_num}. */
    private static final int LOWEST = 80000;

    private static final int BEYOND = 1_000_000;

    private static final Pattern COMPARATOR =
            Pattern.compile("(>=|<=|!=|==|>|<|=|!)?\\s*v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private record Interval(int from, int to) {}

    private SemverRange() {}

    /**
     * The ranges, in ascending order; an empty text admits every version.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    static List<VersionRange> parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return List.of(VersionRange.ALL);
        }
        List<Interval> union = new ArrayList<>();
        for (String alternative : t.split("\\|\\|", -1)) {
            union.addAll(conjunction(alternative.trim(), text));
        }
        List<Interval> merged = merge(union);
        if (merged.isEmpty()) {
            throw new IllegalArgumentException(
                    "'" + Messages.abbreviate(text) + "' admits no PostgreSQL version; check the bounds");
        }
        return merged.stream().map(SemverRange::range).toList();
    }

    private static List<Interval> conjunction(String alternative, String whole) {
        if (alternative.isEmpty()) {
            throw malformed(whole, "an empty alternative around '||'");
        }
        List<Interval> current = List.of(new Interval(LOWEST, BEYOND));
        // "> 12.0.0" is one comparator: join an operator written apart from its version
        String joined = alternative.replaceAll("(>=|<=|!=|==|>|<|=|!)\\s+", "$1");
        for (String comparator : joined.split("[\\s,]+")) {
            Matcher m = COMPARATOR.matcher(comparator);
            if (!m.matches()) {
                throw malformed(whole, "'" + Messages.abbreviate(comparator) + "' is not a comparison with a version");
            }
            current = intersect(current, admitted(m.group(1) == null ? "=" : m.group(1), m, whole));
        }
        return current;
    }

    /** The server_version_num intervals a single comparator admits. */
    private static List<Interval> admitted(String op, Matcher m, String whole) {
        long major = number(m.group(2), whole);
        long minor = m.group(3) == null ? 0 : number(m.group(3), whole);
        long patch = m.group(4) == null ? 0 : number(m.group(4), whole);
        int atLeast = firstAtLeast(major, minor, patch, false);
        int above = firstAtLeast(major, minor, patch, true);
        return switch (op) {
            case ">=" -> List.of(new Interval(atLeast, BEYOND));
            case ">" -> List.of(new Interval(above, BEYOND));
            case "<" -> List.of(new Interval(LOWEST, atLeast));
            case "<=" -> List.of(new Interval(LOWEST, above));
            case "!=", "!" -> List.of(new Interval(LOWEST, atLeast), new Interval(above, BEYOND));
            default -> List.of(new Interval(atLeast, above));
        };
    }

    /**
     * The lowest server_version_num whose semantic version is at least (or, if {@code strictly}, above)
     * major.minor.patch, clamped to the versions PostgreSQL numbers can express.
     */
    private static int firstAtLeast(long major, long minor, long patch, boolean strictly) {
        long num;
        if (major >= 10) {
            // semver of a 10+ server is major.minor.0: it is >= m.n.p when its minor is above n, or equal with p == 0
            long minorNeeded = minor + (patch > 0 || strictly ? 1 : 0);
            num = major * 10000 + Math.min(minorNeeded, 10000);
        } else {
            long second = Math.min(minor, 100);
            long third = minor >= 100 ? 0 : Math.min(patch + (strictly ? 1 : 0), 100);
            num = major * 10000 + second * 100 + third;
        }
        return (int) Math.max(LOWEST, Math.min(BEYOND, num));
    }

    private static long number(String digits, String whole) {
        if (digits.length() > 9) {
            throw malformed(whole, "the number " + Messages.abbreviate(digits) + " is too large for a version");
        }
        return Long.parseLong(digits);
    }

    private static List<Interval> intersect(List<Interval> a, List<Interval> b) {
        List<Interval> out = new ArrayList<>();
        for (Interval x : a) {
            for (Interval y : b) {
                int from = Math.max(x.from, y.from);
                int to = Math.min(x.to, y.to);
                if (from < to) {
                    out.add(new Interval(from, to));
                }
            }
        }
        return out;
    }

    private static List<Interval> merge(List<Interval> intervals) {
        List<Interval> sorted = intervals.stream()
                .filter(i -> i.from < i.to)
                .sorted(Comparator.comparingInt(Interval::from))
                .toList();
        List<Interval> out = new ArrayList<>();
        for (Interval i : sorted) {
            Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && i.from <= last.to) {
                out.set(out.size() - 1, new Interval(last.from, Math.max(last.to, i.to)));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    private static VersionRange range(Interval i) {
        Optional<PgVersion> min = i.from <= LOWEST ? Optional.empty() : Optional.of(new PgVersion(i.from));
        Optional<PgVersion> max = i.to >= BEYOND ? Optional.empty() : Optional.of(new PgVersion(i.to));
        return new VersionRange(min, max);
    }

    private static IllegalArgumentException malformed(String whole, String detail) {
        return new IllegalArgumentException("'" + Messages.abbreviate(whole) + "' is not a version range (" + detail
                + "); write comparisons such as \">=12.0.0 <15.0.0\", joined by spaces (and) or || (or)");
    }
}
