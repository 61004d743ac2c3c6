package io.pgmetrics.exporter.config;

import java.util.List;

/**
 * How the exporter logs.
 *
 * @param level the least severity logged: debug, info, warn or error
 * @param format logfmt or json
 */
public record LogSettings(String level, String format) {

    public static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
    public static final List<String> FORMATS = List.of("logfmt", "json");
    public static final LogSettings DEFAULTS = new LogSettings("info", "logfmt");

    public LogSettings {
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("log level must be one of " + LEVELS + ", not " + level);
        }
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("log format must be one of " + FORMATS + ", not " + format);
        }
    }
}
