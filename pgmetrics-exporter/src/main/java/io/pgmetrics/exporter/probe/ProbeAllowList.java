package io.pgmetrics.exporter.probe;

import io.pgmetrics.exporter.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which hosts {@code /probe} may connect to. Without a list any host is allowed (postgres_exporter's
 * behaviour); with one, each entry is an exact host name, a glob ({@code *.db.example.com}) or a
 * CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}). A host name checked against a range must
 * resolve only to addresses inside it.
 *
 * <p>Public for the exporter's other packages; not an API for users.
 */
public final class ProbeAllowList {

    private static final Pattern HOST_OR_GLOB = Pattern.compile("[a-zA-Z0-9*?_.:\\-\\[\\]]+");

    private final List<String> patterns;

    public ProbeAllowList(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    static boolean valid(String pattern) {
        if (pattern.contains("/")) {
            return cidr(pattern) != null;
        }
        return HOST_OR_GLOB.matcher(pattern).matches();
    }

    /** The patterns, or a configuration error naming the first that is none of the three forms, and where it was. */
    public static List<String> checked(List<String> patterns, String source) throws ConfigException {
        for (String pattern : patterns) {
            if (!valid(pattern)) {
                throw new ConfigException(source + ": '" + pattern
                        + "' is not a host name, glob (*.db.example.com) or CIDR range (10.0.0.0/8)");
            }
        }
        return List.copyOf(patterns);
    }

    boolean allowsAll() {
        return patterns.isEmpty();
    }

    boolean allows(String host) {
        if (patterns.isEmpty()) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String p : patterns) {
            if (p.contains("/")) {
                if (inRange(h, p)) {
                    return true;
                }
            } else if (globMatches(p.toLowerCase(Locale.ROOT), h)) {
                return true;
            }
        }
        return false;
    }

    private static boolean globMatches(String glob, String host) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return host.matches(re.toString());
    }

    private static boolean inRange(String host, String pattern) {
        Object[] range = cidr(pattern);
        if (range == null) {
            return false;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return false;
        }
        for (InetAddress a : addresses) {
            if (!contains((byte[]) range[0], (int) range[1], a.getAddress())) {
                return false;
            }
        }
        return addresses.length > 0;
    }

    /** The network bytes and prefix length, or null when it is not a CIDR range of literal addresses. */
    private static Object[] cidr(String pattern) {
        int slash = pattern.indexOf('/');
        String address = pattern.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            return null; // a literal address only: never a DNS lookup while reading configuration
        }
        try {
            byte[] net = InetAddress.getByName(address).getAddress();
            int bits = Integer.parseInt(pattern.substring(slash + 1));
            return bits < 0 || bits > net.length * 8 ? null : new Object[] {net, bits};
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }

    private static boolean contains(byte[] net, int bits, byte[] address) {
        if (net.length != address.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((net[i / 8] & mask) != (address[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
