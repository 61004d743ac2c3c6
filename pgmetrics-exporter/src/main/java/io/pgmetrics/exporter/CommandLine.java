package io.pgmetrics.exporter;

import io.pgmetrics.core.internal.yaml.Messages;
import io.pgmetrics.exporter.config.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the exporter's command line as kingpin (postgres_exporter's parser) takes it: {@code --flag=value}
 * or {@code --flag value}; a boolean as {@code --flag}, {@code --no-flag}, {@code --flag=false} or {@code
 * --flag false}; a repeated setting given several times. Written by hand (it replaced picocli, whose ~300
 * classes stayed loaded for one parse at start).
 */
final class CommandLine {

    /** What the command line asks for; {@code values} is keyed by the setting's flag, booleans as "true"/"false". */
    record Parsed(boolean help, boolean version, Map<String, List<String>> values) {}

    /** A command line that cannot be read; the message is one sentence about what the user typed. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Flags that postgres_exporter renamed or removed, and what to write instead. */
    private static final Map<String, String> RENAMED = Map.of(
            "--collector.replication_slot", "--collector.replication_slots (renamed in postgres_exporter v0.20)",
            "--no-collector.replication_slot", "--no-collector.replication_slots (renamed in postgres_exporter v0.20)",
            "--collector.bgwriter", "--collector.stat_bgwriter (renamed in postgres_exporter v0.13)",
            "--no-collector.bgwriter", "--no-collector.stat_bgwriter (renamed in postgres_exporter v0.13)");

    private static final String NO = "--no-";

    private final Map<String, Setting> byFlag = new LinkedHashMap<>();

    CommandLine(List<Setting> settings) {
        for (Setting s : settings) {
            byFlag.put(s.flag(), s);
        }
    }

    Parsed parse(String[] args) throws UsageException {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Parsed(true, false, Map.of());
            }
        }
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--version")) {
                return new Parsed(false, true, Map.of());
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                if (i + 1 < args.length) {
                    throw unexpected(args[i + 1]);
                }
                break;
            }
            if (!arg.startsWith("-")) {
                throw unexpected(arg);
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            if (name.equals("-h") || name.equals("--help") || name.equals("--version")) {
                throw new UsageException("flag " + name + " takes no value");
            }
            Setting s = byFlag.get(name);
            if (s == null && name.startsWith(NO)) {
                Setting negated = byFlag.get("--" + name.substring(NO.length()));
                if (negated != null && negated.kind() == Setting.Kind.BOOL) {
                    if (inline != null) {
                        throw new UsageException("flag " + name + " takes no value; write --"
                                + name.substring(NO.length()) + "=" + inline + " instead");
                    }
                    put(values, negated, "false");
                    continue;
                }
            }
            if (s == null) {
                throw unknown(name);
            }
            String value;
            if (s.kind() == Setting.Kind.BOOL) {
                if (inline != null) {
                    value = bool(name, inline);
                } else if (i + 1 < args.length && isBool(args[i + 1])) {
                    value = args[++i].toLowerCase(Locale.ROOT);
                } else {
                    value = "true";
                }
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("flag needs a value: " + name + "=" + label(s)
                        + (i + 1 < args.length ? ", found " + args[i + 1] : ""));
            }
            put(values, s, value);
        }
        return new Parsed(false, false, values);
    }

    private static void put(Map<String, List<String>> values, Setting s, String value) throws UsageException {
        List<String> list = values.computeIfAbsent(s.flag(), k -> new ArrayList<>(1));
        if (!list.isEmpty() && s.kind() != Setting.Kind.REPEATED) {
            throw new UsageException("flag " + s.flag() + " given more than once");
        }
        list.add(value);
    }

    private static boolean isBool(String text) {
        return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false");
    }

    private static String bool(String name, String text) throws UsageException {
        if (!isBool(text)) {
            throw new UsageException("flag " + name + " takes true or false, not '" + text + "'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static UsageException unexpected(String arg) {
        return new UsageException("unexpected argument '" + arg + "'; every setting is a --flag");
    }

    private UsageException unknown(String flag) {
        if (RENAMED.containsKey(flag)) {
            return new UsageException("flag " + flag + " no longer exists; use " + RENAMED.get(flag));
        }
        String suggestion = closest(flag);
        return new UsageException(
                "unknown flag " + flag + (suggestion == null ? "" : "; did you mean " + suggestion + "?"));
    }

    /** The known flag a typo most likely meant: at most a few letters apart, else none. */
    private String closest(String typed) {
        String best = null;
        int bestDistance = Math.max(1, Math.min(3, typed.length() / 6)) + 1;
        for (Setting s : byFlag.values()) {
            for (String known : s.kind() == Setting.Kind.BOOL
                    ? List.of(s.flag(), NO + s.flag().substring(2))
                    : List.of(s.flag())) {
                int d = Messages.distance(typed, known, bestDistance);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = known;
                }
            }
        }
        return best;
    }

    /** How a flag's value is shown: {@code <duration>}, {@code <address>} for a repeated setting, .... */
    static String label(Setting s) {
        return s.kind() == Setting.Kind.REPEATED
                ? "<address>"
                : "<" + s.kind().name().toLowerCase(Locale.ROOT) + ">";
    }
}
