package io.pgmetrics.test;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The query files under src/test/resources/io/pgmetrics/test. */
final class TestFiles {

    private TestFiles() {}

    static Path file(String name) {
        try {
            return Path.of(TestFiles.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
