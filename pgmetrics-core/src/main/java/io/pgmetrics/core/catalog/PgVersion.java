package io.pgmetrics.core.catalog;

/**
 * A PostgreSQL server version in {@code server_version_num} form: 160004 is 16.4, 90624 is 9.6.24.
 * Ordering follows the number, so ranges compare correctly across the 9.x and 10+ schemes.
 */
public record PgVersion(int num) implements Comparable<PgVersion> {

    public PgVersion {
        if (num < 80000 || num >= 1_000_000) {
            throw new IllegalArgumentException("not a PostgreSQL version number: " + num);
        }
    }

    /** The first release of a major version from 10 on, e.g. {@code major(16)} is 16.0. */
    public static PgVersion major(int major) {
        return new PgVersion(major * 10000);
    }

    /**
     * Parses "16", "16.4", "9.6", "9.6.24" or a {@code server_version_num} such as "160004".
     *
     * @throws IllegalArgumentException with a message that says what is expected
     */
    public static PgVersion parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.matches("\\d{5,6}")) {
                return new PgVersion(Integer.parseInt(t));
            }
            String[] parts = t.split("\\.", -1);
            int first = Integer.parseInt(parts[0]);
            // each part stays within its digits of server_version_num, so "16.-1" or "9.100" is no version
            if (first >= 10 && first <= 99 && parts.length <= 2) {
                int minor = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
                if (minor >= 0 && minor <= 9999) {
                    return new PgVersion(first * 10000 + minor);
                }
            }
            if (first >= 0 && first < 10 && parts.length >= 2 && parts.length <= 3) {
                int second = Integer.parseInt(parts[1]);
                int patch = parts.length == 3 ? Integer.parseInt(parts[2]) : 0;
                if (second >= 0 && second <= 99 && patch >= 0 && patch <= 99) {
                    return new PgVersion(first * 10000 + second * 100 + patch);
                }
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a PostgreSQL version; write e.g. 13, 16.2, 9.6 or 160002");
    }

    /** The major version as users name it: 16 for 16.4, 9.6 is reported as 9 (use {@link #toString}). */
    public int major() {
        return num / 10000;
    }

    @Override
    public int compareTo(PgVersion other) {
        return Integer.compare(num, other.num);
    }

    /** "16.4" or "9.6.24"; a major boundary prints as "16". */
    @Override
    public String toString() {
        if (num >= 100000) {
            int minor = num % 10000;
            return minor == 0 ? Integer.toString(major()) : major() + "." + minor;
        }
        int patch = num % 100;
        return major() + "." + (num / 100) % 100 + (patch == 0 ? "" : "." + patch);
    }

    /** Semantic-version text as postgres_exporter shows it in pg_static's short_version: "16.4.0". */
    public String semver() {
        if (num >= 100000) {
            return major() + "." + num % 10000 + ".0";
        }
        return major() + "." + (num / 100) % 100 + "." + num % 100;
    }
}
