package io.pgmetrics.core.engine;

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
import java.util.regex.Pattern;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

/**
 * Runs one planned query in one connection: inside a READ ONLY transaction (a catalog query can
 * never write), under {@code statement_timeout} and a JDBC query timeout, reading at most
 * {@code max_rows} rows through a cursor so a huge result never lands in memory.
 */
final class QueryRunner {

    private QueryRunner() {}

    /** Thrown when the predicate says the query should not run now. */
    static final class PredicateFalse extends Exception {
        PredicateFalse() {
            super("predicate was not true", null, false, false);
        }
    }

    static RowSet run(Connection c, Plan.PlannedQuery pq, Duration timeout, boolean checkExtensions)
            throws SQLException, PredicateFalse {
        requireOneStatement(c, pq.sql(), true);
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)")) {
                long ms = Math.max(1, timeout.toMillis());
                st.setString(1, ms + "ms");
                st.setString(2, Math.max(1, ms / 2) + "ms");
                st.execute();
            }
            if (checkExtensions && !pq.query().extensions().isEmpty()) {
                requireExtensions(c, pq.query().extensions());
            }
            if (pq.query().predicate().isPresent()) {
                checkPredicate(c, pq.query().predicate().get(), timeout);
            }
            try (PreparedStatement st = c.prepareStatement(pq.sql())) {
                for (int i = 0; i < pq.parameters().size(); i++) {
                    st.setString(i + 1, pq.parameters().get(i));
                }
                st.setQueryTimeout(jdbcTimeoutSeconds(timeout));
                st.setMaxRows(pq.query().maxRows() + 1);
                st.setFetchSize(Math.min(1000, pq.query().maxRows() + 1));
                try (ResultSet rs = st.executeQuery()) {
                    return read(rs, pq.query().maxRows());
                }
            }
        } finally {
            if (!c.isClosed()) {
                c.rollback();
            }
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
        boolean standardStrings = true;
        if (c.isWrapperFor(BaseConnection.class)) {
            standardStrings = c.unwrap(BaseConnection.class).getStandardConformingStrings();
        }
        int statements = 0;
        for (NativeQuery q : Parser.parseJdbcSql(sql, standardStrings, parameters, true, false, false)) {
            if (!COMMENTS.matcher(q.nativeSql).replaceAll(" ").isBlank()) {
                statements++;
            }
        }
        if (statements > 1) {
            throw new SQLException("the SQL is " + statements + " statements; a query must be one statement"
                    + " (a second one could end the read-only transaction and write)", "42601");
        }
    }

    /** The server's statement_timeout fires first; the JDBC timeout is the backstop for a server that stops answering. */
    private static int jdbcTimeoutSeconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 1999) / 1000);
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
    private static void checkPredicate(Connection c, String sql, Duration timeout) throws SQLException, PredicateFalse {
        requireOneStatement(c, sql, false);
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(jdbcTimeoutSeconds(timeout));
            st.setMaxRows(2);
            try (ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                if (md.getColumnCount() != 1 || !"bool".equals(md.getColumnTypeName(1))) {
                    throw new QueryFailure("the predicate must return one boolean column, it returned "
                            + describeColumns(md) + "; the query did not run");
                }
                if (!rs.next()) {
                    throw new QueryFailure("the predicate must return exactly one row, it returned none;"
                            + " the query did not run");
                }
                Object v = rs.getObject(1);
                if (rs.next()) {
                    throw new QueryFailure("the predicate must return exactly one row, it returned several;"
                            + " the query did not run");
                }
                if (!Boolean.TRUE.equals(v)) {
                    throw new PredicateFalse(); // false or NULL: not now, as in CloudNativePG
                }
            }
        }
    }

    private static String describeColumns(ResultSetMetaData md) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnName(i) + " " + md.getColumnTypeName(i));
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
