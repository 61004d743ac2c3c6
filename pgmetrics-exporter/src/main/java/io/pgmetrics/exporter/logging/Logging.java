package io.pgmetrics.exporter.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Configures java.util.logging once for the standalone exporter: one handler on stderr, lines in
 * logfmt ({@code time=... level=info source=Engine msg="..."}) or JSON, the level from
 * {@code --log.level}. Core logs through System.Logger and pgjdbc through JUL, so both end here.
 * Every line passes through {@link Redaction}. The java agent does not call this: the host
 * application's logging stays as it is.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class Logging {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /*
     * java.util.logging holds loggers weakly: a level set on a logger nobody references is lost when it is
     * collected before its user (the JDK's HTTP server) asks for it again. These references keep the levels.
     */
    private static final Logger DRIVER = Logger.getLogger("org.postgresql");
    private static final Logger HTTP_SERVER = Logger.getLogger("com.sun.net.httpserver");
    private static final Logger HTTP_SERVER_INTERNALS = Logger.getLogger("sun.net.httpserver");

    private Logging() {}

    static Level level(String name) {
        return switch (name) {
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }

    private static volatile Formatter active = new Logfmt();

    /** One line in the configured format, for the rare place that must not depend on java.util.logging (shutdown). */
    public static String format(Level level, String source, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName(source);
        return active.format(r);
    }

    public static void configure(String level, String format) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level l = level(level);
        root.setLevel(l);
        Handler h = new ConsoleHandler(); // stderr
        h.setLevel(l);
        active = format.equals("json") ? new Json() : new Logfmt();
        h.setFormatter(active);
        root.addHandler(h);
        // pgjdbc logs connection attempts at FINE; its warnings are enough unless debugging
        DRIVER.setLevel(l.intValue() <= Level.FINE.intValue() ? Level.FINE : Level.WARNING);
        HTTP_SERVER.setLevel(Level.WARNING);
        HTTP_SERVER_INTERNALS.setLevel(Level.WARNING);
    }

    static String levelName(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (l.intValue() >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (l.intValue() >= Level.INFO.intValue()) {
            return "info";
        }
        return "debug";
    }

    static String message(LogRecord r) {
        String m = r.getMessage();
        if (m != null && r.getParameters() != null && r.getParameters().length > 0) {
            try {
                m = java.text.MessageFormat.format(m, r.getParameters());
            } catch (IllegalArgumentException ignored) {
                // keep the pattern as it is
            }
        }
        if (r.getThrown() != null) {
            Throwable t = r.getThrown();
            m = (m == null ? "" : m + ": ") + t;
            if (r.getLevel().intValue() < Level.INFO.intValue()) { // stack traces only when debugging
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                m = m + "\n" + sw;
            }
        }
        return Redaction.redact(m == null ? "" : m);
    }

    static String source(LogRecord r) {
        String name = r.getLoggerName() == null ? "" : r.getLoggerName();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    /** {@code time=2026-01-01T00:00:00.000Z level=info source=Exporter msg="listening on :9187"}. */
    static final class Logfmt extends Formatter {
        @Override
        public String format(LogRecord r) {
            return "time=" + TIME.format(Instant.ofEpochMilli(r.getMillis())) + " level=" + levelName(r.getLevel())
                    + " source=" + source(r) + " msg=" + quote(message(r)) + "\n";
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
    }

    /** One JSON object per line with the keys time, level, source, msg. */
    static final class Json extends Formatter {
        @Override
        public String format(LogRecord r) {
            return "{\"time\":" + json(TIME.format(Instant.ofEpochMilli(r.getMillis()))) + ",\"level\":"
                    + json(levelName(r.getLevel())) + ",\"source\":" + json(source(r)) + ",\"msg\":" + json(message(r))
                    + "}\n";
        }

        static String json(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
