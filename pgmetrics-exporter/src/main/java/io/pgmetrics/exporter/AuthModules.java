package io.pgmetrics.exporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * postgres_exporter's auth modules ({@code --config.file}), used by {@code /probe?auth_module=}.
 * The schema is strict, as upstream: an unknown key is an error with its line. Beyond upstream, a
 * module may read its password from a file ({@code userpass.password_file}), so the file itself
 * can be a ConfigMap and the password a Secret.
 */
final class AuthModules {

    /**
     * One module.
     *
     * @param username login user (overrides the target's)
     * @param password its password (overrides the target's)
     * @param options parameters set on the target's connection string (sslmode, application_name …)
     */
    record Module(String username, String password, Map<String, String> options) {
        Module {
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        @Override
        public String toString() {
            return "Module[username=" + username + ", password=<redacted>, options=" + options.keySet() + "]";
        }
    }

    private AuthModules() {}

    static Map<String, Module> load(Path file) throws ConfigException {
        return parse(YamlTree.read(file), file.getParent());
    }

    /** Reads the document of a file, or the {@code auth_modules} section of our config file when {@code section}. */
    static Map<String, Module> parse(YamlTree.Node root, Path base) throws ConfigException {
        YamlTree.MapNode top = Yaml.map(root, "the file");
        Yaml.onlyKeys(top, Set.of("auth_modules"), "");
        return modules(top.get("auth_modules").orElse(null), base);
    }

    static Map<String, Module> modules(YamlTree.Node node, Path base) throws ConfigException {
        Map<String, Module> out = new LinkedHashMap<>();
        if (node == null || node instanceof YamlTree.Scalar s && s.text() == null) {
            return out;
        }
        YamlTree.MapNode modules = Yaml.map(node, "auth_modules");
        for (var e : modules.entries().entrySet()) {
            String name = e.getKey();
            String path = "auth_modules." + name;
            YamlTree.MapNode m = Yaml.map(e.getValue(), path);
            Yaml.onlyKeys(m, Set.of("type", "userpass", "options"), path + ".");
            String type = Yaml.optText(m, "type", path + ".type").orElse("");
            if (!type.equals("userpass")) {
                throw new ConfigException(m.get("type").map(YamlTree.Node::where).orElse(m.where()) + ": " + path
                        + ".type: '" + type + "' is not supported; the only type is userpass");
            }
            String user = "";
            String password = "";
            if (m.get("userpass").isPresent()) {
                YamlTree.MapNode up = Yaml.map(m.get("userpass").get(), path + ".userpass");
                Yaml.onlyKeys(up, Set.of("username", "password", "password_file"), path + ".userpass.");
                user = Yaml.optText(up, "username", path + ".userpass.username").orElse("");
                password = Yaml.optText(up, "password", path + ".userpass.password").orElse("");
                if (up.get("password_file").isPresent()) {
                    YamlTree.Node pf = up.get("password_file").get();
                    Path file = Yaml.path(pf, path + ".userpass.password_file", base);
                    try {
                        password = Files.readString(file).strip();
                    } catch (IOException e2) {
                        throw new ConfigException(pf.where() + ": " + path + ".userpass.password_file: cannot read " + file);
                    }
                }
            }
            Map<String, String> options = m.get("options").isPresent()
                    ? Yaml.stringMap(m.get("options").get(), path + ".options")
                    : Map.of();
            out.put(name, new Module(user, password, options));
        }
        return out;
    }
}
