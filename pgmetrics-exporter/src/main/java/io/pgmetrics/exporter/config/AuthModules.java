package io.pgmetrics.exporter.config;

import io.pgmetrics.core.internal.yaml.YamlNode;
import io.pgmetrics.core.internal.yaml.YamlNode.MapNode;
import io.pgmetrics.core.internal.yaml.YamlTree;
import io.pgmetrics.core.yaml.YamlException;
import io.pgmetrics.exporter.probe.ProbeAllowList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * postgres_exporter's auth modules ({@code --config.file}), used by {@code /probe?auth_module=}.
 * The schema is strict, as upstream: an unknown key is an error with its line. Beyond upstream, a
 * module may read its password from a file ({@code userpass.password_file}), so the file itself
 * can be a ConfigMap and the password a Secret, and may name the hosts it may be used for
 * ({@code allowed_targets}, as {@code probe.allowed_targets}): a module's credentials only ever go to
 * hosts the operator allowed.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class AuthModules {

    /**
     * One module.
     *
     * @param username login user (overrides the target's)
     * @param password its password (overrides the target's)
     * @param options parameters set on the target's connection string (sslmode, application_name …)
     * @param allowedTargets hosts this module may be used for (empty: those of probe.allowed_targets)
     */
    public record Module(String username, String password, Map<String, String> options, List<String> allowedTargets) {
        public Module {
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
            allowedTargets = List.copyOf(allowedTargets);
        }

        Module(String username, String password, Map<String, String> options) {
            this(username, password, options, List.of());
        }

        @Override
        public String toString() {
            return "Module[username=" + username + ", password=<redacted>, options=" + options.keySet()
                    + ", allowedTargets=" + allowedTargets + "]";
        }
    }

    private AuthModules() {}

    public static Map<String, Module> load(Path file) throws ConfigException {
        try {
            MapNode top = YamlTree.read(file).asMap("the file");
            top.checkKeys(Set.of("auth_modules"), "the file");
            return modules(top.get("auth_modules").orElse(null), file.getParent());
        } catch (YamlException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The modules of a file's, or our config file's, {@code auth_modules} section (null when there is none). */
    static Map<String, Module> modules(YamlNode node, Path base) throws ConfigException {
        Map<String, Module> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        for (var e : node.asMap("auth_modules").toMap("auth_modules").entrySet()) {
            String name = e.getKey();
            String path = "auth_modules." + name;
            MapNode m = e.getValue().value().asMap(path);
            m.checkKeys(Set.of("type", "userpass", "options", "allowed_targets"), path);
            String type = text(m, "type", path).orElse("");
            if (!type.equals("userpass")) {
                throw new ConfigException(m.get("type").map(YamlNode::location).orElse(m.location()) + ": " + path
                        + ".type: '" + type + "' is not supported; the only type is userpass");
            }
            String user = "";
            String password = "";
            if (m.get("userpass").isPresent()) {
                MapNode up = m.get("userpass").get().asMap(path + ".userpass");
                up.checkKeys(Set.of("username", "password", "password_file"), path + ".userpass");
                user = text(up, "username", path + ".userpass").orElse("");
                password = text(up, "password", path + ".userpass").orElse("");
                if (up.get("password_file").isPresent()) {
                    YamlNode pf = up.get("password_file").get();
                    Path file = ConfigFile.path(pf, path + ".userpass.password_file", base);
                    try {
                        password = Files.readString(file).strip();
                    } catch (IOException e2) {
                        throw new ConfigException(
                                pf.location() + ": " + path + ".userpass.password_file: cannot read " + file);
                    }
                }
            }
            Map<String, String> options =
                    m.get("options").isPresent() ? m.get("options").get().asTextMap(path + ".options") : Map.of();
            List<String> allowed = List.of();
            if (m.get("allowed_targets").isPresent()) {
                YamlNode at = m.get("allowed_targets").get();
                String key = path + ".allowed_targets";
                allowed = ProbeAllowList.checked(ConfigFile.texts(at, key), at.location() + ": " + key);
            }
            out.put(name, new Module(user, password, options, allowed));
        }
        return out;
    }

    private static Optional<String> text(MapNode m, String key, String path) {
        return m.get(key).map(n -> n.asText(path + "." + key));
    }
}
