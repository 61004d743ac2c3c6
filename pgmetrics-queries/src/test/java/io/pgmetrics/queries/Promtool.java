package io.pgmetrics.queries;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code promtool check metrics}, when promtool is on the PATH. */
final class Promtool {

    private Promtool() {}

    /** promtool's complaints about the exposition text ("" when none), or empty when promtool is not installed. */
    static Optional<String> checkMetrics(String exposition) throws IOException, InterruptedException {
        Optional<String> binary = onPath();
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        Process p = new ProcessBuilder(binary.get(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool did not finish");
        }
        return Optional.of(p.exitValue() == 0 ? "" : out.strip());
    }

    private static Optional<String> onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                return Optional.of(f.getPath());
            }
        }
        return Optional.empty();
    }
}
