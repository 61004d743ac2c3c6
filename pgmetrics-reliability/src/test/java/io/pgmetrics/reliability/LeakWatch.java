package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Scans every text a test class produces that a user or an attacker could read (log records of this
 * JVM at debug level, HTTP bodies and headers, child-process output, exception messages) for the
 * watched passwords: as written, percent-encoded, in base64, or as the base64 of {@code user:password}
 * (an Authorization header). After the class, fails if any was found.
 */
final class LeakWatch implements BeforeAllCallback, AfterAllCallback {

    private static final int LEAKS_KEPT = 50;

    private final Set<String> forms = new CopyOnWriteArraySet<>();
    private final Level level;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong leaked = new AtomicLong();
    private final ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    private boolean levelsSaved;
    private Level rootLevel;
    private Level driverLevel;
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String logger = String.valueOf(record.getLoggerName());
            if (logger.startsWith("jdk.internal.httpclient") || logger.startsWith("jdk.httpclient")) {
                return; // the tests' own HTTP client, logging the requests the tests send (secrets included on purpose)
            }
            if (logger.equals("com.sun.net.httpserver") && record.getLevel().intValue() < Level.INFO.intValue()) {
                // the JDK server's debug lines repeat request lines as sent: a /probe?target= with a password in it
                // is the caller's URL (use an auth module instead). The standalone exporter pins this logger at
                // WARNING even at --log.level=debug; SecretsTest checks that on the child process.
                return;
            }
            record("log " + logger, formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    /** Captures this JVM's log records from debug level (FINE) on. */
    LeakWatch() {
        this(Level.FINE);
    }

    /** Captures this JVM's log records from {@code level} on (a load test measures at the usual level). */
    LeakWatch(Level level) {
        this.level = level;
    }

    /** Watches {@code password} and every form it may leak in. */
    LeakWatch watch(String user, String password) {
        forms.add(password);
        forms.add(URLEncoder.encode(password, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.add(Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
        forms.add(Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Also watches a part of a password (its distinctive core): a message cut at a special character still leaks it. */
    LeakWatch watchPart(String part) {
        forms.add(part);
        return this;
    }

    /**
     * Scans a text a person could read, e.g. a response body, with where it came from. Texts are scanned
     * as they come and not kept (a load test records thousands); leaks are kept, the secret masked.
     */
    void record(String source, String text) {
        if (text == null) {
            return;
        }
        scanned.incrementAndGet();
        for (String form : forms) {
            int at = text.indexOf(form);
            if (at >= 0) {
                leaked.incrementAndGet();
                if (leaks.size() < LEAKS_KEPT) {
                    int from = Math.max(0, at - 60);
                    int to = Math.min(text.length(), at + form.length() + 60);
                    leaks.add(source + ": ..." + text.substring(from, to).replace(form, "<SECRET>") + "...");
                }
            }
        }
    }

    /** (Re)installs the log handler: {@code Logging.configure} of the exporter resets java.util.logging. */
    void attach() {
        Logger root = Logger.getLogger("");
        if (!levelsSaved) {
            rootLevel = root.getLevel();
            driverLevel = Logger.getLogger("org.postgresql").getLevel();
            levelsSaved = true;
        }
        root.removeHandler(handler);
        root.addHandler(handler);
        handler.setLevel(level);
        if (root.getLevel() == null || root.getLevel().intValue() > level.intValue()) {
            root.setLevel(level); // debug messages are where secrets slip out
        }
        if (level.intValue() <= Level.FINE.intValue()) {
            // pgjdbc at FINE shows every connection attempt: that is what should be checked
            Logger.getLogger("org.postgresql").setLevel(Level.FINE);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        attach();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Logger.getLogger("").removeHandler(handler);
        // the next test class (a load test) runs at the levels it found, not at debug
        Logger.getLogger("").setLevel(rootLevel);
        Logger.getLogger("org.postgresql").setLevel(driverLevel);
        Figures.add(context.getRequiredTestClass().getSimpleName() + ": texts scanned for secrets", scanned.get());
        assertNoLeak();
    }

    /** Fails naming the source and the place of each leak (the first ones), with the secret masked. */
    void assertNoLeak() {
        if (leaked.get() > 0) {
            fail("a password leaked " + leaked.get() + " time(s) in " + scanned.get() + " texts scanned:\n"
                    + String.join("\n", leaks));
        }
    }
}
