package io.pgmetrics.queries;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The families the catalog must emit in the compat profile, per collector and version, read from
 * expected-families.txt (postgres_exporter's lists from the compatibility reference, plus ours).
 */
record ExpectedFamilies(List<Family> families) {

    /**
     * One expected family.
     *
     * @param collector its collector
     * @param name the compat name
     * @param type our compat type ("gauge", "counter", "histogram")
     * @param peerType postgres_exporter's type when it differs from ours (it says untyped)
     * @param labels label names
     * @param addedLabels labels postgres_exporter does not have
     * @param majors the supported majors it exists on
     * @param origin v0.20, v0.11 or ours
     * @param maybe whether the test server may lack what the family needs
     * @param dynamic whether it is an example of a per-row name (pg_settings_*)
     */
    record Family(
            String collector,
            String name,
            String type,
            Optional<String> peerType,
            Set<String> labels,
            Set<String> addedLabels,
            Set<Integer> majors,
            String origin,
            boolean maybe,
            boolean dynamic) {

        boolean postgresExporter() {
            return !origin.equals("ours");
        }
    }

    static ExpectedFamilies load() {
        try (InputStream in = ExpectedFamilies.class.getResourceAsStream("expected-families.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Family> out = new ArrayList<>();
            int lineNo = 0;
            for (String line : text.split("\n")) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                out.add(parse(s.split("\\s+"), lineNo));
            }
            return new ExpectedFamilies(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Family parse(String[] f, int lineNo) {
        if (f.length < 6 || f.length > 7) {
            throw new IllegalArgumentException(
                    "expected-families.txt:" + lineNo + ": want 6 or 7 fields, got " + f.length);
        }
        String type = f[2];
        Optional<String> peer = Optional.empty();
        int paren = type.indexOf('(');
        if (paren > 0) {
            peer = Optional.of(type.substring(paren + 1, type.length() - 1));
            type = type.substring(0, paren);
        }
        Set<String> labels = new java.util.LinkedHashSet<>();
        Set<String> added = new java.util.LinkedHashSet<>();
        if (!f[3].equals("-")) {
            for (String l : f[3].split(",")) {
                if (l.startsWith("+")) {
                    added.add(l.substring(1));
                    l = l.substring(1);
                }
                labels.add(l);
            }
        }
        Set<String> flags = f.length == 7 ? Set.of(f[6].split(",")) : Set.of();
        return new Family(
                f[0],
                f[1],
                type,
                peer,
                labels,
                added,
                majors(f[4], lineNo),
                f[5],
                flags.contains("maybe"),
                flags.contains("dynamic"));
    }

    private static Set<Integer> majors(String spec, int lineNo) {
        List<Integer> all = MetricsReference.SUPPORTED_MAJORS;
        int lo = all.get(0);
        int hi = all.get(all.size() - 1);
        if (spec.equals("all")) {
            return Set.copyOf(all);
        }
        if (spec.equals("none")) {
            return Set.of();
        }
        if (spec.endsWith("+")) {
            return range(Integer.parseInt(spec.substring(0, spec.length() - 1)), hi);
        }
        if (spec.startsWith("-")) {
            return range(lo, Integer.parseInt(spec.substring(1)));
        }
        int[] ends = Arrays.stream(spec.split("-")).mapToInt(Integer::parseInt).toArray();
        if (ends.length != 2) {
            throw new IllegalArgumentException("expected-families.txt:" + lineNo + ": bad versions '" + spec + "'");
        }
        return range(ends[0], ends[1]);
    }

    private static Set<Integer> range(int lo, int hi) {
        return Set.copyOf(IntStream.rangeClosed(lo, hi).boxed().toList());
    }

    List<Family> on(int major) {
        return families.stream().filter(f -> f.majors().contains(major)).toList();
    }
}
