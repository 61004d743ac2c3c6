package io.pgmetrics.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The exporter's version, from a resource the build fills in.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class BuildInfo {

    public static final String VERSION = load("version", "unknown");
    public static final String REVISION = load("revision", "unknown");

    private BuildInfo() {}

    private static String load(String key, String fallback) {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return fallback;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key, fallback);
            return v.isBlank() || v.startsWith("${") ? fallback : v;
        } catch (IOException e) {
            return fallback;
        }
    }

    static String versionLine() {
        return "pgmetrics-exporter, version " + VERSION + " (revision: " + REVISION + ")\n  java version: "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")\n  platform: "
                + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
                + System.getProperty("os.arch");
    }
}
