package io.pgmetrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher gives -XX:TrimNativeHeapInterval only to a JDK that knows it (an unknown -XX flag stops
 * the JVM): it reads JAVA_VERSION from the release file of the JDK it runs. A stand-in {@code java}
 * prints the flags it was given.
 */
@EnabledOnOs(OS.LINUX)
class LauncherFlagsTest {

    @ParameterizedTest(name = "JAVA_VERSION={0}: trim {1}")
    @CsvSource({
        "17.0.8,false",
        "17.0.9,true",
        "17.0.15,true",
        "17,false",
        "18.0.2,false",
        "21,false",
        "21.0.1,true",
        "22,true",
        "25.0.1,true"
    })
    void trimsTheNativeHeapOnlyWhereTheJdkHasTheFlag(String version, boolean trims, @TempDir Path jdk)
            throws Exception {
        Path java = jdk.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path jar = Files.writeString(jdk.resolve("pgmetrics-exporter.jar"), "");

        String flags = run(java, jar);

        assertThat(flags).contains("-XX:+UseSerialGC", "-jar " + jar);
        if (trims) {
            assertThat(flags).contains("-XX:TrimNativeHeapInterval=5000");
        } else {
            assertThat(flags).doesNotContain("TrimNativeHeapInterval");
        }
    }

    private static String run(Path java, Path jar) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                        "sh", Path.of("bin/pgmetrics-exporter").toAbsolutePath().toString())
                .redirectErrorStream(true);
        pb.environment().put("JAVA", java.toString());
        pb.environment().put("PGMETRICS_JAR", jar.toString());
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
