package io.pgmetrics.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SystemdUnitTest {

    private static final Path SYSTEMD = DeployAssets.path("systemd");
    private static final Path UNIT = SYSTEMD.resolve("pgmetrics-exporter.service");

    /** section -> key -> value (last one wins, as in systemd for these keys); continuation lines joined. */
    static Map<String, Map<String, String>> unit() {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String pending = "";
        for (String raw : DeployAssets.read(UNIT).split("\n")) {
            String line = pending + raw.strip();
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1) + " ";
                continue;
            }
            pending = "";
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                current = sections.computeIfAbsent(line.substring(1, line.indexOf(']')), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(current).as("key outside a section: %s", line).isNotNull();
            current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return sections;
    }

    @Test
    void runsAsADedicatedUserWithItsEnvironmentFile() {
        Map<String, String> service = unit().get("Service");
        assertThat(service.get("User")).isNotBlank().isNotIn("root", "0", "postgres");
        assertThat(service.get("EnvironmentFile")).isEqualTo("/etc/pgmetrics-exporter/pgmetrics-exporter.env");
        assertThat(unit().get("Install").get("WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void isHardened() {
        Map<String, String> service = unit().get("Service");
        assertThat(service)
                .containsEntry("NoNewPrivileges", "yes")
                .containsEntry("ProtectSystem", "strict")
                .containsEntry("ProtectHome", "yes")
                .containsEntry("PrivateTmp", "yes")
                .containsEntry("PrivateDevices", "yes")
                .containsEntry("CapabilityBoundingSet", "")
                .containsEntry("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX")
                .containsEntry("SystemCallFilter", "@system-service");
        assertThat(service.get("MemoryDenyWriteExecute"))
                .as("the JIT writes and runs code")
                .isIn(null, "no");
    }

    @Test
    void startsTheJarWithFlagsTheExporterKnows() {
        List<String> exec = Arrays.asList(unit().get("Service").get("ExecStart").split("\\s+"));
        assertThat(exec.get(0)).isEqualTo("/usr/bin/java");
        int jar = exec.indexOf("-jar");
        assertThat(jar).isPositive();
        assertThat(exec.get(jar + 1)).endsWith("/pgmetrics-exporter.jar");
        List<String> flags = exec.subList(jar + 2, exec.size());
        assertThat(flags).isNotEmpty();
        flags.forEach(f -> assertThat(ExporterInterface.problemWith(f)).as(f).isEmpty());
        assertThat(ExporterInterface.flagValue(flags, "web.listen-address")).contains(":" + ExporterInterface.PORT);
    }

    /** Set and commented-out variables alike: a user uncommenting one must get a name the exporter reads. */
    @Test
    void environmentFileUsesOnlyVariablesTheExporterReads() {
        Matcher m = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=")
                .matcher(DeployAssets.read(SYSTEMD.resolve("pgmetrics-exporter.env")));
        int found = 0;
        while (m.find()) {
            assertThat(ExporterInterface.ENVIRONMENT)
                    .as("variable %s", m.group(1))
                    .contains(m.group(1));
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(4);
        assertThat(DeployAssets.read(SYSTEMD.resolve("pgmetrics-exporter.env")))
                .containsPattern("(?m)^DATA_SOURCE_NAME=");
    }

    /** systemd's own parser, where it is installed: no line of the unit may be ignored as invalid. */
    @Test
    void systemdAnalyzeFindsNothingToIgnore() {
        var analyze = DeployAssets.executable("systemd-analyze");
        assumeTrue(analyze.isPresent(), "systemd-analyze is not installed");
        var run = DeployAssets.run(SYSTEMD, List.of(analyze.get().toString(), "verify", UNIT.toString()));
        assertThat(run.output())
                .as("warnings about lines of the unit")
                .doesNotContainPattern(Pattern.quote(UNIT.getFileName().toString()) + ":\\d+:");
    }
}
