package io.pgmetrics.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The suite's figures (faults injected, inputs tried, scrapes served, connections and threads seen),
 * appended to {@code target/reliability-figures.txt} and printed, for docs/reliability.md.
 */
final class Figures {

    private Figures() {}

    static synchronized void add(String what, Object value) {
        String line = what + ": " + value;
        System.out.println("[figure] " + line);
        String file = System.getProperty("pgmetrics.reliability.report");
        if (file == null) {
            return;
        }
        try {
            Path p = Path.of(file);
            Files.createDirectories(p.getParent());
            Files.writeString(
                    p,
                    Instant.now() + " " + line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
