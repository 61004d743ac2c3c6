package io.pgmetrics.core.internal.engine;

import io.pgmetrics.core.Plan;
import io.pgmetrics.core.connect.ConnectionSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.core.TransactionState;
import org.postgresql.jdbc.PgStatement;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

/**
 * Runs planned queries on one connection, one or several in one round trip ({@link #together}):
 * {@code BEGIN READ ONLY}, the query and {@code ROLLBACK} go to the server together (one Sync), so a
 * catalog query can never write, and
 * whatever it changes in its session ({@code set_config(..., false)}, {@code SET ROLE}) is undone
 * before the next one. Timeouts are session settings made at connect ({@link
 * ConnectionSource#setsSessionTimeouts()}), or else {@code SET LOCAL} in the same round trip; the
 * query's own limit and the collection's deadline are enforced from the client by cancelling. At
 * most {@code max_rows} rows are read: the server stops there.
 */
final class QueryRunner {

    private static final String BEGIN = "BEGIN READ ONLY";
    private static final String END = "ROLLBACK";

    private QueryRunner() {}

    /** Thrown when the predicate says the query should not run now. */
    static final class PredicateFalse extends Exception {
        PredicateFalse() {
            super("predicate was not true", null, false, false);
        }
    }

    /**
     * @param timeout the query's limit: its own timeout, or less when the collection ends sooner
     * @param checkExtensions whether to check the query's extensions in this database first
     * @param setTimeouts whether the session lacks statement_timeout and lock_timeout (set them per query)
     */
    static RowSet run(
            Connection c, Plan.PlannedQuery pq, Duration timeout, boolean checkExtensions, boolean setTimeouts)
            throws SQLException, PredicateFalse {
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true); // our BEGIN READ ONLY must open the transaction, not the driver's BEGIN
        }
        if (checkExtensions && !pq.query().extensions().isEmpty()) {
            requireExtensions(c, pq.query().extensions());
        }
        if (pq.query().predicate().isPresent()) {
            checkPredicate(c, pq.query().predicate().get(), timeout, setTimeouts);
        }
        return contained(
                c, pq.sql(), pq.parameters(), timeout, setTimeouts, pq.query().maxRows());
    }

    /**
     * One statement of a catalog between BEGIN READ ONLY and ROLLBACK, checked and ready to send.
     *
     * @param parameters values for the JDBC placeholders; null for SQL sent as it is (a predicate)
     */
    record Wrapped(String text, List<String> parameters, int maxRows) {}

    /** Checks the query's SQL (one complete statement) and wraps it; throws when it is refused. */
    static Wrapped wrapped(Connection c, Plan.PlannedQuery pq, Duration timeout, boolean setTimeouts)
            throws SQLException {
        return wrapped(
                c, pq.sql(), pq.parameters(), timeout, setTimeouts, pq.query().maxRows());
    }

    private static Wrapped wrapped(
            Connection c, String sql, List<String> parameters, Duration timeout, boolean setTimeouts, int maxRows)
            throws SQLException {
        boolean prepared = parameters != null;
        String text = wrap(sql, timeout, setTimeouts);
        Checked checked = new Checked(text, standardStrings(c), prepared);
        if (!CHECKED.contains(checked)) {
            requireOneStatement(c, sql, prepared);
            requireOursAround(c, text, prepared, setTimeouts);
            if (CHECKED.size() >= MOST_CHECKED) {
                CHECKED.clear(); // texts with per-query timeouts vary; a bounded set, refilled as they come
            }
            CHECKED.add(checked);
        }
        return new Wrapped(text, parameters, maxRows);
    }

    /** A wrapped text that passed the checks, as pgjdbc splits it under these settings. */
    private record Checked(String text, boolean standardStrings, boolean parameters) {}

    /**
     * Texts already checked: a catalog's SQL does not change between collections, and splitting it
     * with pgjdbc's parser twice per query and collection was a tenth of the exporter's CPU per scrape.
     */
    private static final Set<Checked> CHECKED = ConcurrentHashMap.newKeySet();

    private static final int MOST_CHECKED = 4096;

    /**
     * Runs one statement of a catalog between BEGIN READ ONLY and ROLLBACK, in one round trip.
     *
     * @param parameters values for the JDBC placeholders; null for SQL sent as it is (a predicate)
     */
    private static RowSet contained(
            Connection c, String sql, List<String> parameters, Duration timeout, boolean setTimeouts, int maxRows)
            throws SQLException {
        return together(c, List.of(wrapped(c, sql, parameters, timeout, setTimeouts, maxRows)), timeout)
                .get(0);
    }

    /**
     * Sends wrapped queries in one round trip (pgjdbc sends the statements of one text with one Sync)
     * and returns each one's rows, in order. Each keeps its own transaction, so one query's session
     * changes are undone before the next; but an error anywhere makes the server skip the rest, so a
     * caller that gets an exception runs them again one at a time to tell which failed.
     *
     * @param timeout when the client cancels the whole round trip
     */
    static List<RowSet> together(Connection c, List<Wrapped> queries, Duration timeout) throws SQLException {
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true); // our BEGIN READ ONLY must open the transaction, not the driver's BEGIN
        }
        boolean prepared = queries.stream().anyMatch(w -> w.parameters() != null);
        StringBuilder text = new StringBuilder();
        List<String> parameters = new ArrayList<>();
        int mostRows = 0;
        for (Wrapped w : queries) {
            if (text.length() > 0) {
                text.append(";\n");
            }
            text.append(w.text());
            if (w.parameters() != null) {
                parameters.addAll(w.parameters());
            }
            mostRows = Math.max(mostRows, w.maxRows());
        }
        String sql = text.toString();
        try (Statement st = prepared ? c.prepareStatement(sql) : c.createStatement()) {
            for (int i = 0; i < parameters.size(); i++) {
                ((PreparedStatement) st).setString(i + 1, parameters.get(i));
            }
            cancelAfter(st, timeout);
            st.setMaxRows(mostRows + 1);
            List<RowSet> results = new ArrayList<>(queries.size());
            boolean first = prepared ? ((PreparedStatement) st).execute() : st.execute(sql);
            for (boolean isRows = first; isRows || st.getUpdateCount() != -1; isRows = st.getMoreResults()) {
                if (isRows) {
                    try (ResultSet rs = st.getResultSet()) {
                        if (results.size() < queries.size()) {
                            results.add(read(rs, queries.get(results.size()).maxRows()));
                        }
                    }
                }
            }
            if (results.size() != queries.size()) {
                // only a query that returns no rows can make the counts differ (each was checked to be one statement)
                throw new SQLException("the statement returned no rows (a query must be a SELECT)", "02000");
            }
            return results;
        } finally {
            endTransaction(c);
        }
    }

    /** The statements sent together: our BEGIN (and SET LOCALs), the query, our ROLLBACK. */
    private static String wrap(String sql, Duration timeout, boolean setTimeouts) {
        StringBuilder b = new StringBuilder(BEGIN).append(";\n");
        if (setTimeouts) {
            long ms = Math.max(1, timeout.toMillis());
            b.append("SET LOCAL statement_timeout = ")
                    .append(ms)
                    .append(";\nSET LOCAL lock_timeout = ")
                    .append(Math.max(1, ms / 2))
                    .append(";\n");
        }
        return b.append(sql).append("\n;").append(END).toString();
    }

    /**
     * pgjdbc splits the wrapped text with the parser {@link #requireOneStatement} uses, so it must come
     * out as exactly our statements around the one of the query; a query that would swallow the
     * ROLLBACK (an unterminated comment or quote) is refused.
     */
    private static void requireOursAround(Connection c, String text, boolean parameters, boolean setTimeouts)
            throws SQLException {
        int ours = setTimeouts ? 4 : 2;
        List<String> parts = statements(c, text, parameters);
        if (parts.size() != ours + 1 || !parts.get(parts.size() - 1).strip().equals(END)) {
            throw new SQLException(
                    "the SQL does not end where it seems to (an unterminated comment, quote or"
                            + " dollar quote?); a query must be one complete statement",
                    "42601");
        }
    }

    /** Ends what the query's error left open (no round trip when it succeeded: its ROLLBACK was sent with it). */
    private static void endTransaction(Connection c) throws SQLException {
        if (c.isClosed()
                || !c.isWrapperFor(BaseConnection.class)
                || c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute(END);
        }
    }

    /**
     * The client cancels the statement when its time is up (pgjdbc sends a cancel request): the
     * session's statement_timeout is the longest of all queries', so shorter limits and the
     * collection's deadline are the client's to enforce.
     */
    private static void cancelAfter(Statement st, Duration timeout) throws SQLException {
        long ms = Math.max(1, timeout.toMillis());
        if (st.isWrapperFor(PgStatement.class)) {
            st.unwrap(PgStatement.class).setQueryTimeoutMs(ms);
        } else {
            st.setQueryTimeout((int) Math.max(1, (ms + 999) / 1000));
        }
    }

    private static final Pattern COMMENTS = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    /**
     * Refuses SQL that pgjdbc would send as several statements: {@code COMMIT; INSERT ...} would end
     * the READ ONLY transaction and write in the next one. Counted with pgjdbc's own splitter (an
     * internal API) so that it agrees with what the driver sends; a piece that is only a comment does
     * not count.
     */
    static void requireOneStatement(Connection c, String sql, boolean parameters) throws SQLException {
        int statements = statements(c, sql, parameters).size();
        if (statements > 1) {
            throw new SQLException(
                    "the SQL is " + statements + " statements; a query must be one statement"
                            + " (a second one could end the read-only transaction and write)",
                    "42601");
        }
    }

    /** The statements pgjdbc would send for {@code sql}, those that are only comments left out. */
    private static List<String> statements(Connection c, String sql, boolean parameters) throws SQLException {
        List<String> out = new ArrayList<>();
        for (NativeQuery q : Parser.parseJdbcSql(sql, standardStrings(c), parameters, true, false, false)) {
            if (!COMMENTS.matcher(q.nativeSql).replaceAll(" ").isBlank()) {
                out.add(q.nativeSql);
            }
        }
        return out;
    }

    private static boolean standardStrings(Connection c) throws SQLException {
        return !c.isWrapperFor(BaseConnection.class)
                || c.unwrap(BaseConnection.class).getStandardConformingStrings();
    }

    private static void requireExtensions(Connection c, List<String> extensions) throws SQLException, PredicateFalse {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_extension WHERE extname = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", extensions.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getInt(1) < extensions.size()) {
                    throw new PredicateFalse();
                }
            }
        }
    }

    /**
     * The predicate must return exactly one row of one boolean column: true runs the query, false or NULL skips it
     * this time. Any other shape is the author's mistake, so the query fails (and does not run) with what came back,
     * rather than guessing from the first row or column.
     */
    private static void checkPredicate(Connection c, String sql, Duration timeout, boolean setTimeouts)
            throws SQLException, PredicateFalse {
        RowSet r = contained(c, sql, null, timeout, setTimeouts, 1);
        if (r.rows().isEmpty() || r.truncated()) {
            throw new QueryFailure("the predicate must return exactly one row, it returned "
                    + (r.truncated() ? "several" : "none") + "; the query did not run");
        }
        Object[] row = r.rows().get(0);
        if (row.length != 1 || (row[0] != null && !(row[0] instanceof Boolean))) {
            throw new QueryFailure("the predicate must return one boolean column, it returned "
                    + describe(r.columns(), row) + "; the query did not run");
        }
        if (!Boolean.TRUE.equals(row[0])) {
            throw new PredicateFalse(); // false or NULL: not now, as in CloudNativePG
        }
    }

    /** "2 columns (a Boolean, b Long)": what a predicate returned, by the Java types its values were read as. */
    private static String describe(List<String> names, Object[] row) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            columns.add(names.get(i) + " "
                    + (row[i] == null ? "null" : row[i].getClass().getSimpleName()));
        }
        return columns.size() + " column" + (columns.size() == 1 ? "" : "s") + " (" + String.join(", ", columns) + ")";
    }

    private static RowSet read(ResultSet rs, int maxRows) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        int[] types = new int[n];
        // label and JDBC type only: getColumnTypeName would make pgjdbc look up every column's table
        // in the catalog (to tell serial from int), one more round trip per query on a new connection
        for (int i = 0; i < n; i++) {
            columns.add(md.getColumnLabel(i + 1));
            types[i] = md.getColumnType(i + 1);
        }
        List<Object[]> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                truncated = true;
                break;
            }
            Object[] row = new Object[n];
            for (int i = 0; i < n; i++) {
                row[i] = value(rs, i + 1, types[i]);
            }
            rows.add(row);
        }
        return new RowSet(columns, rows, truncated);
    }

    private static Object value(ResultSet rs, int i, int type) throws SQLException {
        switch (type) {
            case Types.ARRAY -> {
                Array a = rs.getArray(i);
                return a == null ? null : numbers((Object[]) a.getArray());
            }
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
                Timestamp t = rs.getTimestamp(i);
                return t == null ? null : t.toInstant();
            }
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : (Object) v;
            }
            case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL -> {
                double v = rs.getDouble(i);
                return rs.wasNull() ? null : (Object) v;
            }
            case Types.BIT, Types.BOOLEAN -> {
                boolean v = rs.getBoolean(i);
                return rs.wasNull() ? null : (Object) v;
            }
            default -> {
                Object v = rs.getObject(i);
                if (v instanceof PGInterval iv) {
                    return interval(iv);
                }
                if (v instanceof PGobject o) {
                    return o.getValue();
                }
                return v == null ? null : v.toString();
            }
        }
    }

    /** A numeric array as double[]; any other array as its text form. */
    private static Object numbers(Object[] elements) {
        double[] out = new double[elements.length];
        for (int k = 0; k < elements.length; k++) {
            if (!(elements[k] instanceof Number num)) {
                return java.util.Arrays.toString(elements);
            }
            out[k] = num.doubleValue();
        }
        return out;
    }

    private static Duration interval(PGInterval iv) {
        double days = iv.getYears() * 365.25 + iv.getMonths() * 30.0 + iv.getDays();
        double seconds = days * 86400 + iv.getHours() * 3600.0 + iv.getMinutes() * 60.0 + iv.getSeconds();
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
