package io.pgmetrics.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format 0.0.4 for tests (client_java has none). It rejects
 * what Prometheus rejects and what the Go client never writes: a sample before its family's TYPE,
 * a family split in two, a repeated HELP or TYPE, a duplicate series, a bad name, label or value,
 * a histogram whose +Inf bucket differs from its count or whose buckets are not cumulative.
 * What it parsed is read back by family or by sample name and labels.
 */
public final class PromText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "untyped", "histogram", "summary");

    public record Sample(String name, Map<String, String> labels, double value) {}

    public static final class Family {
        public final String name;
        public String help;
        public String type;
        public final List<Sample> series = new ArrayList<>();

        Family(String name) {
            this.name = name;
        }

        public Optional<Double> value(Map<String, String> labels) {
            return series.stream()
                    .filter(s -> s.name.equals(name) && s.labels.equals(labels))
                    .map(Sample::value)
                    .findFirst();
        }

        public Optional<Double> value() {
            return series.stream()
                    .filter(s -> s.name.equals(name))
                    .map(Sample::value)
                    .findFirst();
        }
    }

    private final Map<String, Family> families;
    private final List<Sample> samples;

    private PromText(Map<String, Family> families, List<Sample> samples) {
        this.families = families;
        this.samples = samples;
    }

    /** Families by name, in the order of the text. @throws IllegalArgumentException as {@link #parse} */
    public static Map<String, Family> parseFamilies(String text) {
        return parse(text).families();
    }

    /** Parses the whole text. @throws IllegalArgumentException naming the line and what is wrong */
    public static PromText parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> closed = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the text does not end with a newline");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    check(NAME.matcher(name).matches(), no, "bad metric name " + name);
                    if (!name.equals(currentFamily)) {
                        check(!closed.contains(name), no, "family " + name + " appears twice");
                        if (currentFamily != null) {
                            closed.add(currentFamily);
                        }
                        currentFamily = name;
                    }
                    Family f = families.computeIfAbsent(name, Family::new);
                    if (parts[1].equals("HELP")) {
                        check(f.help == null, no, "second HELP for " + name);
                        f.help = parts.length > 3 ? parts[3] : "";
                    } else {
                        check(f.type == null, no, "second TYPE for " + name);
                        check(f.series.isEmpty(), no, "TYPE after samples of " + name);
                        check(parts.length > 3 && TYPES.contains(parts[3]), no, "bad type in " + line);
                        f.type = parts[3];
                    }
                }
                continue;
            }
            Sample s = sample(line, no);
            Family f = familyOf(s.name, families);
            check(f != null, no, "sample " + s.name + " has no TYPE line before it");
            check(f.name.equals(currentFamily), no, "sample of " + f.name + " outside its family block");
            String key = s.name + s.labels;
            check(seen.add(key), no, "duplicate series " + key);
            f.series.add(s);
            samples.add(s);
        }
        for (Family f : families.values()) {
            if ("histogram".equals(f.type)) {
                checkHistogram(f);
            }
        }
        return new PromText(families, List.copyOf(samples));
    }

    public Map<String, Family> families() {
        return families;
    }

    /** Every sample, in the order of the text. */
    public List<Sample> samples() {
        return samples;
    }

    /** The value of the first sample of {@code name} whose labels include these (alternating names and values). */
    public Optional<Double> value(String name, String... labels) {
        return find(name, labels).stream().findFirst().map(Sample::value);
    }

    /** The samples of {@code name} whose labels include these (alternating names and values). */
    public List<Sample> find(String name, String... labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && hasLabels(s, labels))
                .toList();
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean hasLabels(Sample s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of the first sample of {@code name} whose label text contains {@code labelPart} (may be ""),
     * found without parsing the rest: for a look at an exposition that another program wrote.
     */
    public static OptionalDouble firstValue(String exposition, String name, String labelPart) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);
        Matcher m = p.matcher(exposition);
        while (m.find()) {
            String labelText = m.group(1) == null ? "" : m.group(1);
            if (labelText.contains(labelPart)) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }

    private static Family familyOf(String sample, Map<String, Family> families) {
        Family f = families.get(sample);
        if (f != null && !"histogram".equals(f.type) && !"summary".equals(f.type)) {
            return f;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                Family h = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (h != null && ("histogram".equals(h.type) || "summary".equals(h.type))) {
                    return h;
                }
            }
        }
        return f;
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.series) {
            Map<String, String> l = new TreeMap<>(s.labels);
            if (s.name.endsWith("_bucket")) {
                String le = l.remove("le");
                check(le != null, 0, f.name + ": bucket without le");
                buckets.computeIfAbsent(l, k -> new TreeMap<>())
                        .put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value);
            } else if (s.name.endsWith("_count")) {
                counts.put(l, s.value);
            }
        }
        buckets.forEach((l, b) -> {
            check(b.containsKey(Double.POSITIVE_INFINITY), 0, f.name + l + ": no +Inf bucket");
            check(
                    b.get(Double.POSITIVE_INFINITY).equals(counts.get(l)),
                    0,
                    f.name + l + ": +Inf bucket differs from _count");
            double previous = -1;
            for (double v : b.values()) {
                check(v >= previous, 0, f.name + l + ": buckets not cumulative");
                previous = v;
            }
        });
    }

    private static Sample sample(String line, int no) {
        Matcher m = NAME.matcher(line);
        check(m.lookingAt(), no, "no metric name in: " + line);
        String name = m.group();
        int at = m.end();
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher lm = LABEL.matcher(line).region(at, line.length());
                check(lm.lookingAt(), no, "bad label name in: " + line);
                String label = lm.group();
                at = lm.end();
                check(line.startsWith("=\"", at), no, "expected =\" after " + label);
                at += 2;
                StringBuilder v = new StringBuilder();
                while (line.charAt(at) != '"') {
                    char c = line.charAt(at);
                    if (c == '\\') {
                        char n = line.charAt(at + 1);
                        check(n == '\\' || n == '"' || n == 'n', no, "bad escape in label " + label);
                        v.append(n == 'n' ? '\n' : n);
                        at += 2;
                    } else {
                        v.append(c);
                        at++;
                    }
                }
                at++;
                check(labels.put(label, v.toString()) == null, no, "label " + label + " twice");
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        check(at < line.length() && line.charAt(at) == ' ', no, "expected a space before the value: " + line);
        String[] rest = line.substring(at + 1).split(" ");
        check(rest.length == 1 || rest.length == 2, no, "expected a value and an optional timestamp: " + line);
        return new Sample(name, labels, value(rest[0], no));
    }

    private static double value(String text, int no) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + no + ": bad value " + text);
                }
        }
    }

    private static void check(boolean ok, int line, String message) {
        if (!ok) {
            throw new IllegalArgumentException((line > 0 ? "line " + line + ": " : "") + message);
        }
    }
}
