package io.pgmetrics.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each exporter costs the database, told apart by role: statements and their execution time
 * from {@code pg_stat_statements}, connections opened from the server log ({@code
 * log_connections}), and the most backends held at once from {@code pg_stat_activity} sampled
 * every 20 ms by a background thread.
 */
final class DbLoad implements AutoCloseable {

    /**
     * Totals for one role at one moment.
     *
     * @param connections backends started for the role ("connection authorized" lines of the server log)
     * @param byApplication the same, per application_name of the startup packet ("-" when none was sent)
     */
    record Usage(
            long calls,
            double execMillis,
            long connections,
            Map<String, Long> byApplication,
            Map<String, Statement> statements) {
        Usage minus(Usage before) {
            Map<String, Long> apps = new TreeMap<>(byApplication);
            before.byApplication.forEach((app, n) -> apps.merge(app, -n, Long::sum));
            apps.values().removeIf(n -> n == 0);
            Map<String, Statement> each = new HashMap<>(statements);
            before.statements.forEach((text, s) -> each.merge(text, s.negated(), Statement::plus));
            each.values().removeIf(s -> s.calls() == 0);
            return new Usage(
                    calls - before.calls, execMillis - before.execMillis, connections - before.connections, apps, each);
        }

        /** The statements that took the most execution time, most first. */
        List<Map.Entry<String, Statement>> top(int n) {
            return statements.entrySet().stream()
                    .sorted(Map.Entry.<String, Statement>comparingByValue(
                                    Comparator.comparingDouble(Statement::execMillis))
                            .reversed())
                    .limit(n)
                    .toList();
        }
    }

    /**
     * One normalized statement of pg_stat_statements, summed over the databases it ran in.
     *
     * @param calls times it ran
     * @param execMillis its total execution time
     */
    record Statement(long calls, double execMillis) {
        Statement plus(Statement other) {
            return new Statement(calls + other.calls, execMillis + other.execMillis);
        }

        Statement negated() {
            return new Statement(-calls, -execMillis);
        }
    }

    /** Longest statement text kept: enough to recognize a query in a table, short enough for one row. */
    static final int STATEMENT_TEXT = 90;

    private final BenchServer server;
    private final List<String> roles;
    private final Map<String, Integer> maxBackends = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean stopped;

    DbLoad(BenchServer server, List<String> roles) {
        this.server = server;
        this.roles = List.copyOf(roles);
        this.sampler = new Thread(this::sample, "bench-backend-sampler");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /** Statements, execution time and connections of each role so far. */
    Map<String, Usage> snapshot() throws SQLException, IOException {
        Map<String, Usage> out = new HashMap<>();
        Map<String, Map<String, Long>> connections = connectionsLogged();
        try (Connection c = server.superuser("postgres");
                PreparedStatement st = c.prepareStatement(
                        "SELECT r.rolname, coalesce(sum(s.calls), 0), coalesce(sum(s.total_exec_time), 0)"
                                + " FROM pg_roles r LEFT JOIN pg_stat_statements s ON s.userid = r.oid"
                                + " WHERE r.rolname = ANY (?) GROUP BY r.rolname")) {
            st.setArray(1, c.createArrayOf("text", roles.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String role = rs.getString(1);
                    Map<String, Long> apps = connections.getOrDefault(role, Map.of());
                    long total =
                            apps.values().stream().mapToLong(Long::longValue).sum();
                    out.put(role, new Usage(rs.getLong(2), rs.getDouble(3), total, apps, statements(c, role)));
                }
            }
        }
        return out;
    }

    /**
     * Each statement's calls and execution time for one role, by its text (whitespace collapsed, cut
     * at {@value #STATEMENT_TEXT} characters), summed over databases: the same query in three
     * databases is one entry with three times the calls.
     */
    private static Map<String, Statement> statements(Connection c, String role) throws SQLException {
        Map<String, Statement> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT s.query, s.calls, s.total_exec_time"
                + " FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.merge(
                            shortText(rs.getString(1)), new Statement(rs.getLong(2), rs.getDouble(3)), Statement::plus);
                }
            }
        }
        return out;
    }

    private static String shortText(String query) {
        String oneLine =
                query == null ? "<not visible>" : query.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= STATEMENT_TEXT ? oneLine : oneLine.substring(0, STATEMENT_TEXT - 1) + "…";
    }

    /** The most backends each role held at once since the last call; starts a new window. */
    Map<String, Integer> takeMaxBackends() {
        Map<String, Integer> out = new HashMap<>(maxBackends);
        maxBackends.clear();
        return out;
    }

    private void sample() {
        while (!stopped) {
            try (Connection c = server.superuser("postgres");
                    PreparedStatement st = c.prepareStatement("SELECT usename, count(*) FROM pg_stat_activity"
                            + " WHERE usename = ANY (?) GROUP BY usename")) {
                st.setArray(1, c.createArrayOf("text", roles.toArray()));
                while (!stopped) {
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            maxBackends.merge(rs.getString(1), rs.getInt(2), Math::max);
                        }
                    }
                    Thread.sleep(20);
                }
            } catch (SQLException e) {
                sleepQuietly(); // the server is busy or restarting: try again
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * "connection authorized: user=ROLE … application_name=APP" lines in the server log, per role and
     * application: one per backend that passed authentication, so nothing is missed however short it lived.
     * The log is read after a short pause, so that the logging collector has written what happened before.
     */
    private Map<String, Map<String, Long>> connectionsLogged() throws IOException {
        sleepQuietly();
        Map<String, Map<String, Long>> out = new HashMap<>();
        Path log = server.log();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] all = new byte[(int) f.length()];
            f.readFully(all);
            String text = new String(all, StandardCharsets.UTF_8);
            for (String role : roles) {
                String needle = "connection authorized: user=" + role + " ";
                Map<String, Long> apps = new TreeMap<>();
                for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
                    int end = text.indexOf('\n', i);
                    String line = text.substring(i, end < 0 ? text.length() : end);
                    int app = line.indexOf(" application_name=");
                    apps.merge(app < 0 ? "-" : line.substring(app + 18).strip(), 1L, Long::sum);
                }
                out.put(role, apps);
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        sampler.interrupt();
        sampler.join(5000);
    }
}
