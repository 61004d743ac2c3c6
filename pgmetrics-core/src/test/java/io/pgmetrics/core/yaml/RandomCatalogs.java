package io.pgmetrics.core.yaml;

import io.pgmetrics.core.catalog.Catalog;
import io.pgmetrics.core.catalog.CatalogValidator;
import io.pgmetrics.core.catalog.ColumnDef;
import io.pgmetrics.core.catalog.PgVersion;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.core.catalog.Scope;
import io.pgmetrics.core.catalog.ServerRole;
import io.pgmetrics.core.catalog.UndeclaredColumns;
import io.pgmetrics.core.catalog.Usage;
import io.pgmetrics.core.catalog.VersionRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Random valid catalogs built with the Java builder, with text chosen to be hard on a YAML writer: YAML
 * indicators, reserved words, line breaks, control characters, lone surrogates and long values.
 */
final class RandomCatalogs {

    private static final String[] AWKWARD = {
        "",
        " ",
        "null",
        "~",
        "true",
        "No",
        "on",
        "y",
        "0x1F",
        "1e5",
        ".inf",
        "-.NaN",
        "16.10",
        "<<",
        "- item",
        "key: value",
        "# not a comment",
        "a #b",
        "'",
        "\"",
        "\\",
        "{a: b}",
        "[1, 2]",
        "&anchor",
        "*alias",
        "!tag",
        "|",
        ">",
        "%",
        "@",
        "`",
        "---",
        "...",
        "\t",
        "\n",
        "\r\n",
        "\u0000",
        "\u0007",
        "\u001b",
        "\u007f",
        "\u0085",
        "\u00a0",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\ud800",
        "\udfff",
        "\ud83d\ude00",
        "é",
        "日本語",
        "SELECT 1\nFROM x\n",
        "  lead",
        "trail  "
    };

    private final Random random;

    RandomCatalogs(Random random) {
        this.random = random;
    }

    Catalog catalog() {
        int n = random.nextInt(5);
        List<QueryDef> queries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            queries.add(query("q" + i + "_" + identifier(6)));
        }
        return new Catalog(queries);
    }

    QueryDef query(String name) {
        QueryDef.Builder b = QueryDef.builder(name);
        if (random.nextInt(3) == 0) {
            b.collector(text(10));
        }
        if (random.nextBoolean()) {
            b.help(text(40));
        }
        if (random.nextInt(3) == 0) {
            b.scope(Scope.DATABASE);
            if (random.nextBoolean()) {
                b.databases(list(3, () -> text(8)));
            }
        }
        b.role(ServerRole.values()[random.nextInt(ServerRole.values().length)]);
        if (random.nextInt(3) == 0) {
            b.extensions(list(3, () -> text(12)));
        }
        if (random.nextInt(4) == 0) {
            b.predicate("SELECT " + text(20));
        }
        if (random.nextBoolean()) {
            Duration ttl = duration();
            b.ttl(ttl);
            // a background refresh needs a ttl to be valid
            b.refreshInBackground(!ttl.isZero() && random.nextBoolean());
        }
        if (random.nextInt(3) == 0) {
            Duration timeout = duration();
            b.timeout(timeout.isZero() ? Duration.ofNanos(1) : timeout);
        }
        if (random.nextInt(3) == 0) {
            b.maxRows(1 + random.nextInt(Integer.MAX_VALUE));
        }
        b.enabledByDefault(random.nextInt(4) != 0);
        b.undeclaredColumns(random.nextInt(4) == 0 ? UndeclaredColumns.UNTYPED : UndeclaredColumns.IGNORE);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            parameters.put(random.nextBoolean() ? identifier(5) : text(6), text(8));
        }
        List<String> sqls = new ArrayList<>();
        List<VersionRange> ranges = ranges();
        for (int i = 0; i < ranges.size(); i++) {
            String sql = sql();
            Matcher refs = CatalogValidator.PARAMETER.matcher(sql);
            while (refs.find()) {
                parameters.putIfAbsent(refs.group(1), text(4));
            }
            sqls.add(sql);
        }
        b.parameters(parameters);
        for (int i = 0; i < ranges.size(); i++) {
            b.variant(ranges.get(i), sqls.get(i));
        }
        List<ColumnDef> columns = columns(name);
        columns.forEach(b::column);
        return b.build();
    }

    private List<VersionRange> ranges() {
        if (random.nextBoolean()) {
            return List.of(VersionRange.ALL);
        }
        TreeSet<Integer> bounds = new TreeSet<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            bounds.add(80000 + random.nextInt(920000));
        }
        List<Integer> b = new ArrayList<>(bounds);
        List<VersionRange> out = new ArrayList<>();
        boolean openStart = random.nextBoolean();
        if (openStart) {
            out.add(VersionRange.of(null, new PgVersion(b.get(0))));
        }
        for (int i = 0; i + 1 < b.size(); i++) {
            out.add(VersionRange.of(new PgVersion(b.get(i)), new PgVersion(b.get(i + 1))));
        }
        if (random.nextBoolean() || out.isEmpty()) {
            out.add(VersionRange.of(new PgVersion(b.get(b.size() - 1)), null));
        }
        return out;
    }

    private List<ColumnDef> columns(String query) {
        List<ColumnDef> out = new ArrayList<>();
        int n = 1 + random.nextInt(5);
        List<String> discards = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            Usage usage = Usage.values()[random.nextInt(Usage.values().length)];
            if (j == 0 && !usage.isMetric()) {
                usage = Usage.GAUGE; // a query exports at least one metric
            }
            if (usage == Usage.DISCARD) {
                String name = random.nextBoolean() ? text(10) + "#" + j : "d" + j;
                discards.add(name);
                out.add(ColumnDef.builder(name, usage).help(text(10)).build());
                continue;
            }
            String name = usage == Usage.LABEL ? "l" + j + "_" + identifier(4) : "c" + j + "_" + identifier(4);
            ColumnDef.Builder c = ColumnDef.builder(name, usage);
            if (usage.isMetric()) {
                switch (random.nextInt(4)) {
                    case 0 -> c.rename("r" + j + identifier(3));
                    case 1 -> c.metric(query + "_m" + j);
                    default -> {}
                }
                if (random.nextBoolean()) {
                    c.help(text(30));
                }
                if (random.nextInt(3) == 0) {
                    c.scale(scale());
                }
                if (random.nextInt(3) == 0) {
                    c.nullValue(number());
                }
                if (random.nextInt(4) == 0) {
                    c.unit(new String[] {"seconds", "bytes", "ratio"}[random.nextInt(3)]);
                }
                if (random.nextInt(4) == 0) {
                    Usage strictUsage =
                            random.nextBoolean() ? null : random.nextBoolean() ? Usage.GAUGE : Usage.COUNTER;
                    c.strict(random.nextBoolean() ? query + "_s" + j : null, strictUsage);
                }
                if (usage == Usage.MAPPEDMETRIC) {
                    Map<String, Double> mapping = new LinkedHashMap<>();
                    for (int k = 1 + random.nextInt(4); k > 0; k--) {
                        mapping.put(text(8), number());
                    }
                    c.mapping(mapping);
                }
                if (!discards.isEmpty() && random.nextInt(5) == 0 && usage != Usage.HISTOGRAM) {
                    c.nameFrom(discards.get(random.nextInt(discards.size())));
                    if (random.nextBoolean()) {
                        c.helpFrom(discards.get(random.nextInt(discards.size())));
                    }
                }
            }
            out.add(c.build());
        }
        return out;
    }

    /** SQL-ish text, often multi-line (literal blocks), sometimes with a parameter reference. */
    private String sql() {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int lines = random.nextInt(4); lines >= 0; lines--) {
            sb.append(text(30));
            if (random.nextInt(3) == 0) {
                sb.append(" ${").append(identifier(4)).append('}');
            }
            if (lines > 0) {
                sb.append('\n').append(" ".repeat(random.nextInt(3)));
            }
        }
        if (random.nextBoolean()) {
            sb.append('\n');
        }
        return sb.toString();
    }

    String text(int maxLength) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        while (sb.length() < length) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                sb.append((char) (' ' + random.nextInt(95)));
            } else if (kind < 8) {
                sb.append(AWKWARD[random.nextInt(AWKWARD.length)]);
            } else if (kind < 9) {
                sb.append(identifier(5)).append(' ');
            } else {
                sb.append((char) random.nextInt(0x10000));
            }
        }
        if (random.nextInt(50) == 0) {
            sb.append("x".repeat(5000)); // a long value
        }
        return sb.toString();
    }

    String identifier(int maxLength) {
        String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        String rest = first + "0123456789";
        StringBuilder sb = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
        for (int i = random.nextInt(maxLength); i > 0; i--) {
            sb.append(rest.charAt(random.nextInt(rest.length())));
        }
        return sb.toString();
    }

    private Duration duration() {
        return switch (random.nextInt(5)) {
            case 0 -> Duration.ofSeconds(random.nextInt(3600));
            case 1 -> Duration.ofMillis(random.nextInt(100_000));
            case 2 -> Duration.ofNanos(random.nextLong() & Long.MAX_VALUE);
            case 3 -> Duration.ofSeconds(random.nextLong() & Long.MAX_VALUE >> 2, random.nextInt(1_000_000_000));
            default -> Duration.ZERO;
        };
    }

    private double number() {
        return switch (random.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> random.nextInt(100);
            case 3 -> -0.0;
            case 4 -> Double.longBitsToDouble(random.nextLong());
            case 5 -> Double.MIN_VALUE * random.nextInt(1000);
            default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    private double scale() {
        double d;
        do {
            d = number();
        } while (!Double.isFinite(d) || d == 0);
        return d;
    }

    private <T> List<T> list(int max, java.util.function.Supplier<T> item) {
        List<T> out = new ArrayList<>();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            out.add(item.get());
        }
        return out;
    }
}
