package io.pgmetrics.core.catalog;

import java.util.Optional;

/** The server versions a SQL variant applies to: {@code min} inclusive, {@code max} exclusive; either may be open. */
public record VersionRange(Optional<PgVersion> min, Optional<PgVersion> max) {

    public static final VersionRange ALL = new VersionRange(Optional.empty(), Optional.empty());

    public VersionRange {
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) >= 0) {
            throw new IllegalArgumentException("empty version range: min_version " + min.get()
                    + " must be below max_version " + max.get() + " (max is exclusive)");
        }
    }

    public static VersionRange of(PgVersion min, PgVersion max) {
        return new VersionRange(Optional.ofNullable(min), Optional.ofNullable(max));
    }

    public static VersionRange from(int major) {
        return of(PgVersion.major(major), null);
    }

    public static VersionRange below(int major) {
        return of(null, PgVersion.major(major));
    }

    public static VersionRange between(int minMajor, int maxMajorExclusive) {
        return of(PgVersion.major(minMajor), PgVersion.major(maxMajorExclusive));
    }

    public boolean contains(PgVersion version) {
        return min.map(m -> version.compareTo(m) >= 0).orElse(true)
                && max.map(m -> version.compareTo(m) < 0).orElse(true);
    }

    public boolean overlaps(VersionRange other) {
        boolean thisEndsBefore =
                max.isPresent() && other.min.isPresent() && max.get().compareTo(other.min.get()) <= 0;
        boolean otherEndsBefore =
                other.max.isPresent() && min.isPresent() && other.max.get().compareTo(min.get()) <= 0;
        return !thisEndsBefore && !otherEndsBefore;
    }

    @Override
    public String toString() {
        if (min.isEmpty() && max.isEmpty()) {
            return "all versions";
        }
        return (min.map(v -> ">=" + v).orElse("") + " " + max.map(v -> "<" + v).orElse("")).trim();
    }
}
