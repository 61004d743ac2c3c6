package io.pgmetrics.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a shaded jar holds, and what its CycloneDX SBOM says it holds, as "group:artifact:version" lists. */
public final class ShadedJar {

    private static final Pattern PURL = Pattern.compile("\"purl\"\\s*:\\s*\"pkg:maven/([^/\"]+)/([^@\"]+)@([^?\"]+)");

    private ShadedJar() {}

    public static List<String> entries(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The artifacts the jar names in its META-INF/maven/&lt;group&gt;/&lt;artifact&gt;/pom.properties. */
    public static TreeSet<String> embeddedArtifacts(Path jar) {
        TreeSet<String> out = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> poms = file.stream()
                    .filter(e -> e.getName().matches("META-INF/maven/[^/]+/[^/]+/pom.properties"))
                    .toList();
            for (JarEntry e : poms) {
                Properties p = new Properties();
                try (InputStream in = file.getInputStream(e)) {
                    p.load(in);
                }
                out.add(p.getProperty("groupId") + ":" + p.getProperty("artifactId") + ":" + p.getProperty("version"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The text of a file in the jar, if it is there. */
    public static Optional<String> text(Path jar, String entry) {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry e = file.getJarEntry(entry);
            if (e == null) {
                return Optional.empty();
            }
            try (InputStream in = file.getInputStream(e)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every Maven component of a CycloneDX JSON SBOM, the described module itself included. */
    public static TreeSet<String> sbomComponents(String sbom) {
        Matcher m = PURL.matcher(sbom);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
        }
        return new TreeSet<>(found);
    }
}
