package io.pgmetrics.core.connect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a DSN while it is being read or changed. As in libpq, a field may be set several
 * times (a URL's host list, then a {@code ?host=} query parameter) and the last setting wins; the
 * host and port lists are matched up and checked only when the {@link Dsn} is built.
 */
final class DsnParts {

    /** One entry of a host or port list, with where it came from, for error messages. */
    private record Entry(String text, int index, String key) {}

    private List<Entry> hosts;
    private List<Entry> hostaddrs;
    private List<Entry> ports;
    private String database;
    private String user;
    private Secret password;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private boolean pgjdbcSsl;

    static DsnParts of(Dsn dsn) {
        DsnParts parts = new DsnParts();
        parts.hosts = new ArrayList<>();
        parts.ports = new ArrayList<>();
        for (HostPort hp : dsn.hosts()) {
            parts.hosts.add(new Entry(hp.host(), -1, "host"));
            parts.ports.add(new Entry(Integer.toString(hp.port()), -1, "port"));
        }
        parts.database = dsn.explicitDatabase().orElse(null);
        parts.user = dsn.user().orElse(null);
        parts.password = dsn.password().orElse(null);
        parts.parameters.putAll(dsn.parameters());
        return parts;
    }

    /** Read {@code ssl} the way pgjdbc does (in a {@code jdbc:} URL) rather than the way libpq does. */
    void pgjdbcSsl() {
        pgjdbcSsl = true;
    }

    /** A URL's host list: one host and one (possibly empty) port per entry, at their positions. */
    void urlHost(String host, int hostIndex, String port, int portIndex) {
        if (hosts == null) {
            hosts = new ArrayList<>();
            ports = new ArrayList<>();
        }
        hosts.add(new Entry(host, hostIndex, null));
        ports.add(new Entry(port, portIndex, null));
    }

    /**
     * Sets a parameter by its libpq or pgjdbc name. {@code index} is the 0-based position of the
     * name in the DSN text, or negative when the value comes from code.
     */
    void set(String key, String value, int index) {
        if (value.indexOf('\0') >= 0) {
            throw fail(key, index, "the value contains a NUL character");
        }
        switch (key) {
            case "host" -> hosts = split(value, index, key);
            case "hostaddr" -> hostaddrs = split(value, index, key);
            case "port" -> ports = split(value, index, key);
            case "dbname" -> database = value.isEmpty() ? null : value;
            case "user" -> user = value.isEmpty() ? null : value;
            case "password" -> password = value.isEmpty() ? null : new Secret(value);
            case "ssl" -> ssl(value, index);
            default -> {
                ParameterRules.check(key, value, index);
                parameters.put(key, value);
            }
        }
    }

    /**
     * {@code ssl} is kept as the {@code sslmode} it stands for, so that it means the same in every
     * form. libpq reads {@code ssl=true} as {@code sslmode=require}; pgjdbc reads {@code ssl=true}
     * (or empty) as {@code verify-full} unless an {@code sslmode} is given, and {@code ssl=false}
     * as no setting.
     */
    private void ssl(String value, int index) {
        if (pgjdbcSsl) {
            if ((value.isEmpty() || value.equalsIgnoreCase("true")) && !parameters.containsKey("sslmode")) {
                parameters.put("sslmode", "verify-full");
            }
        } else if (value.equals("true")) {
            parameters.put("sslmode", "require");
        } else {
            throw fail("ssl", index, "libpq accepts only ssl=true (meaning sslmode=require); use sslmode");
        }
    }

    void remove(String key) {
        switch (key) {
            case "host" -> hosts = null;
            case "hostaddr" -> hostaddrs = null;
            case "port" -> ports = null;
            case "dbname" -> database = null;
            case "user" -> user = null;
            case "password" -> password = null;
            default -> parameters.remove(key);
        }
    }

    void database(String database) {
        this.database = database == null || database.isEmpty() ? null : database;
        if (this.database != null && this.database.indexOf('\0') >= 0) {
            throw fail("dbname", -1, "the database name contains a NUL character");
        }
    }

    void credentials(String user, Secret password) {
        if (user != null && user.indexOf('\0') >= 0) {
            throw fail("user", -1, "the user name contains a NUL character");
        }
        this.user = user == null || user.isEmpty() ? null : user;
        this.password = password == null || password.isEmpty() ? null : password;
    }

    Dsn build() {
        List<Entry> hostList = hosts;
        if (hostaddrs != null) {
            if (hosts != null) {
                throw fail(
                        "hostaddr",
                        hostaddrs.get(0).index(),
                        "give host or hostaddr, not both: pgjdbc" + " connects by host name; put the address in host");
            }
            hostList = hostaddrs;
        }
        if (hostList == null) {
            hostList = List.of(new Entry("", -1, "host"));
        }
        List<Entry> portList = ports == null ? List.of() : ports;
        if (portList.size() > 1 && portList.size() != hostList.size()) {
            throw fail(
                    "port",
                    portList.get(0).index(),
                    portList.size() + " ports for " + hostList.size()
                            + " hosts: give one port for all hosts, or one per host");
        }
        List<HostPort> result = new ArrayList<>(hostList.size());
        for (int i = 0; i < hostList.size(); i++) {
            String host = host(hostList.get(i));
            int port = portList.isEmpty() ? HostPort.DEFAULT_PORT : port(portList.get(portList.size() == 1 ? 0 : i));
            result.add(new HostPort(host, port));
        }
        return new Dsn(result, database, user, password, parameters);
    }

    private static List<Entry> split(String value, int index, String key) {
        if (value.isEmpty()) {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            entries.add(new Entry(part, index, key));
        }
        return entries;
    }

    private static String host(Entry e) {
        String h = e.text();
        if (h.length() >= 2 && h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty()) {
            // libpq's default is a Unix socket, which pgjdbc cannot use: the same server over TCP
            return HostPort.DEFAULT_HOST;
        }
        if (!validHost(h)) {
            throw fail(
                    e,
                    "not a host name, IP address or socket directory (a host name has letters,"
                            + " digits, '.', '-' and '_'; write an IPv6 address as [address] in a URL)");
        }
        return h;
    }

    static boolean validHost(String h) {
        if (h.startsWith("/") || h.startsWith("@")) {
            return h.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        }
        if (h.indexOf(':') >= 0) {
            return h.chars().filter(c -> c == ':').count() >= 2
                    && h.chars()
                            .allMatch(c -> c == ':'
                                    || c == '.'
                                    || (c >= '0' && c <= '9')
                                    || (c >= 'a' && c <= 'f')
                                    || (c >= 'A' && c <= 'F'));
        }
        return h.length() <= 253
                && h.chars().allMatch(c -> c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c));
    }

    private static int port(Entry e) {
        String p = e.text().trim();
        if (p.isEmpty()) {
            return HostPort.DEFAULT_PORT;
        }
        boolean digits = p.length() <= 5 && p.chars().allMatch(c -> c >= '0' && c <= '9');
        int port = digits ? Integer.parseInt(p) : -1;
        if (port < 1 || port > 65535) {
            throw fail(e, "the port must be a number from 1 to 65535");
        }
        return port;
    }

    private static DsnException fail(Entry e, String problem) {
        return fail(e.key(), e.index(), problem);
    }

    private static DsnException fail(String key, int index, String problem) {
        if (key != null && (ParameterRules.isKnown(key) || index < 0)) {
            return DsnException.forKey(key, index, problem); // known names, or names that came from code
        }
        return DsnException.at(Math.max(index, 0), problem);
    }
}
