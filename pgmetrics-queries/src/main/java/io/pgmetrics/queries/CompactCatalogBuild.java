package io.pgmetrics.queries;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin at {@code process-classes}, see this module's pom): parses the YAML
 * catalog and writes its compact form into the classes folder, so that the jar carries both.
 */
public final class CompactCatalogBuild {

    private CompactCatalogBuild() {}

    /** @param args the classes folder (target/classes) */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompactCatalogBuild <classes folder>");
        }
        Path target = Path.of(args[0], "io", "pgmetrics", "queries", BuiltinCatalog.COMPACT);
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            CompactCatalog.write(BuiltinCatalog.fromYaml(), BuiltinCatalog.sourceChecksum(), out);
        }
    }
}
