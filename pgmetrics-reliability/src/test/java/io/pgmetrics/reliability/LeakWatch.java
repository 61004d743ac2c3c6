package io.pgmetrics.reliability;

import static org.assertj.core.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Collects every text a test class produces that a user or an attacker could read (log records of
 * this JVM at debug level, HTTP bodies and headers, child-process output, exception messages) and,
 * after the class, fails if any holds a watched password: as written, percent-encoded, in base64, or
 * as the base64 of {@code user:password} (an Authorization header).
 */
final class LeakWatch implements BeforeAllCallback, AfterAllCallback {

    private record Text(String source, String text) {}

    private final Set<String> forms = new LinkedHashSet<>();
    private final ConcurrentLinkedQueue<Text> texts = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
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
            texts.add(new Text("log " + logger, formatter.format(record)));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

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

    /** Adds a text to scan, e.g. a response body, with where it came from. */
    void record(String source, String text) {
        if (text != null) {
            texts.add(new Text(source, text));
        }
    }

    int textsSeen() {
        return texts.size();
    }

    /** (Re)installs the log handler: {@code Logging.configure} of the exporter resets java.util.logging. */
    void attach() {
        Logger root = Logger.getLogger("");
        root.removeHandler(handler);
        root.addHandler(handler);
        handler.setLevel(Level.ALL);
        if (root.getLevel() == null || root.getLevel().intValue() > Level.FINE.intValue()) {
            root.setLevel(Level.FINE); // debug messages are where secrets slip out
        }
        // pgjdbc at FINE shows every connection attempt: that is what should be checked
        Logger.getLogger("org.postgresql").setLevel(Level.FINE);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        attach();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Logger.getLogger("").removeHandler(handler);
        Figures.add(context.getRequiredTestClass().getSimpleName() + ": texts scanned for secrets", texts.size());
        assertNoLeak();
    }

    /** Fails naming the source and the place of the first leak, with the secret masked. */
    void assertNoLeak() {
        List<String> leaks = new ArrayList<>();
        for (Text t : texts) {
            for (String form : forms) {
                int at = t.text().indexOf(form);
                if (at >= 0) {
                    int from = Math.max(0, at - 60);
                    int to = Math.min(t.text().length(), at + form.length() + 60);
                    String context = t.text().substring(from, to).replace(form, "<SECRET>");
                    leaks.add(t.source() + ": ..." + context + "...");
                }
            }
        }
        if (!leaks.isEmpty()) {
            fail("a password leaked in " + leaks.size() + " text(s) of " + texts.size() + " scanned:\n" + String.join("\n", leaks));
        }
    }
}
