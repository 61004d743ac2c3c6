package io.pgmetrics.exporter;

import io.pgmetrics.exporter.config.Setting;
import java.io.PrintStream;
import java.util.List;

/** The exporter's --help: every flag with its environment variable and default, wrapped to 119 columns. */
final class HelpText {

    private static final int WIDTH = 119;
    /** Where descriptions start; a longer flag puts its description on the next line. */
    private static final int DESCRIPTION_COLUMN = 29;

    private static final String HEADER = """
            Usage: pgmetrics-exporter [OPTIONS]
            Prometheus exporter for PostgreSQL server metrics; a drop-in replacement for postgres_exporter.
            Precedence: flag > environment variable > --pgmetrics.config file > default.
            Databases: DATA_SOURCE_NAME (comma-separated), or DATA_SOURCE_URI with DATA_SOURCE_USER/_PASS
            (each also as _FILE), or POSTGRES_HOST/PORT/USER/PASSWORD(_FILE)/DB/SSLMODE, or targets in the file.
            """;

    private HelpText() {}

    static void print(List<Setting> settings, PrintStream out) {
        StringBuilder b = new StringBuilder(16 * 1024).append(HEADER);
        option(b, "  -h, --help", "Show this help and exit.");
        option(b, "      --version", "Show the version and exit.");
        for (Setting s : settings) {
            option(b, "      " + synopsis(s), description(s));
        }
        out.print(b);
        out.flush();
    }

    /** {@code --[no-]flag[=<bool>]} for a boolean, {@code --flag=<kind>} for the others. */
    private static String synopsis(Setting s) {
        return s.kind() == Setting.Kind.BOOL
                ? "--[no-]" + s.flag().substring(2) + "[=<bool>]"
                : s.flag() + "=" + CommandLine.label(s);
    }

    private static String description(Setting s) {
        StringBuilder d = new StringBuilder(s.help());
        if (!s.env().isEmpty()) {
            d.append(" [env: ").append(s.env()).append(']');
        }
        if (!s.defaultValue().isEmpty()) {
            d.append(" (default: ")
                    .append(
                            s.kind() == Setting.Kind.BOOL && s.isCollector()
                                    ? (Boolean.parseBoolean(s.defaultValue()) ? "enabled" : "disabled")
                                    : s.defaultValue())
                    .append(')');
        }
        return d.toString();
    }

    private static void option(StringBuilder b, String synopsis, String description) {
        b.append(synopsis);
        if (synopsis.length() + 1 <= DESCRIPTION_COLUMN) {
            spaces(b, DESCRIPTION_COLUMN - synopsis.length());
        } else {
            spaces(b.append('\n'), DESCRIPTION_COLUMN);
        }
        wrap(b, description);
    }

    /** Words from the description column to the width; continued lines indented two more. */
    private static void wrap(StringBuilder b, String text) {
        int column = DESCRIPTION_COLUMN;
        boolean first = true;
        for (String word : text.split(" ")) {
            if (!first && column + 1 + word.length() > WIDTH) {
                spaces(b.append('\n'), DESCRIPTION_COLUMN + 2);
                column = DESCRIPTION_COLUMN + 2;
            } else if (!first) {
                b.append(' ');
                column++;
            }
            b.append(word);
            column += word.length();
            first = false;
        }
        b.append('\n');
    }

    private static void spaces(StringBuilder b, int n) {
        for (int i = 0; i < n; i++) {
            b.append(' ');
        }
    }
}
