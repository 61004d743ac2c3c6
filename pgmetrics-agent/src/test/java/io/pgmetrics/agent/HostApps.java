package io.pgmetrics.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The test host applications: Java sources kept as test resources ({@code hostapps/*.java}),
 * compiled at test time for Java 17 into a folder that becomes the child JVM's class path. Their
 * libraries (older versions of pgjdbc, Jackson, client_java, SLF4J) are copied by the build into
 * {@code target/hostapp-libs}.
 */
final class HostApps {

    private HostApps() {}

    /** The shaded agent jar, as built in the package phase. */
    static Path agentJar() {
        Path jar = Path.of(System.getProperty("pgmetrics.agent.jar", "target/pgmetrics-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no agent jar at " + jar.toAbsolutePath()
                    + "; run mvn verify (the *IT tests need the package phase)");
        }
        return jar.toAbsolutePath();
    }

    /** The jars of the conflicting-libraries host application. */
    static List<Path> libraries() {
        Path dir = Path.of(System.getProperty("pgmetrics.hostapp.libs", "target/hostapp-libs"));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "no host application libraries in " + dir.toAbsolutePath() + "; run mvn verify", e);
        }
    }

    /** Compiles {@code hostapps/<name>.java} into {@code outputDir} against {@code classpath}. */
    static Path compile(String name, Path outputDir, List<Path> classpath) {
        try (InputStream in = HostApps.class.getResourceAsStream("/hostapps/" + name + ".java")) {
            if (in == null) {
                throw new IllegalStateException("no test resource hostapps/" + name + ".java");
            }
            Path src = outputDir.resolve("src/" + name + ".java");
            Files.createDirectories(src.getParent());
            Files.write(src, in.readAllBytes());
            Path classes = outputDir.resolve("classes");
            Files.createDirectories(classes);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> options = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
            if (!classpath.isEmpty()) {
                options.add("-cp");
                options.add(classpath(classpath));
            }
            options.add(src.toString());
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int rc = javac.run(null, diagnostics, diagnostics, options.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("host application " + name + " does not compile:\n"
                        + diagnostics.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar holding the compiled {@code EmptyAgent} with a Premain-Class manifest: the baseline of -javaagent. */
    static Path emptyAgentJar(Path dir) {
        Path classes = compile("EmptyAgent", dir.resolve("empty-agent"), List.of());
        Path jar = dir.resolve("empty-agent.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "EmptyAgent");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("EmptyAgent.class"));
            out.write(Files.readAllBytes(classes.resolve("EmptyAgent.class")));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    static String classpath(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
