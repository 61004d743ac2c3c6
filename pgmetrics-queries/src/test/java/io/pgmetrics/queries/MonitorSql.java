package io.pgmetrics.queries;

import io.pgmetrics.core.catalog.CatalogValidator;
import io.pgmetrics.core.catalog.QueryDef;
import io.pgmetrics.testing.PgServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Runs a catalog query's SQL over plain JDBC as the monitoring role, the way the engine does
 * (READ ONLY transaction, {@code ${name}} parameters bound as text), without the engine.
 */
final class MonitorSql {

    /** A result: column names and rows keyed by column. */
    record Result(List<String> columns, List<Map<String, Object>> rows) {}

    private MonitorSql() {}

    static Connection connect(PgServer server, String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), PgServer.MONITOR_USER, PgServer.MONITOR_PASSWORD);
    }

    /** Runs {@code sql} of {@code query}, with its parameter defaults replaced by {@code overrides} where given. */
    static Result run(Connection c, QueryDef query, String sql, Map<String, String> overrides) throws SQLException {
        List<String> values = new ArrayList<>();
        Matcher m = CatalogValidator.PARAMETER.matcher(sql);
        StringBuilder bound = new StringBuilder();
        while (m.find()) {
            values.add(overrides.getOrDefault(m.group(1), query.parameters().get(m.group(1))));
            m.appendReplacement(bound, "?");
        }
        m.appendTail(bound);
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try (PreparedStatement st = c.prepareStatement(bound.toString())) {
            for (int i = 0; i < values.size(); i++) {
                st.setString(i + 1, values.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                return read(rs);
            }
        } finally {
            c.rollback();
        }
    }

    static Result run(Connection c, String sql) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            return read(rs);
        }
    }

    private static Result read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= columns.size(); i++) {
                row.put(columns.get(i - 1), rs.getObject(i));
            }
            rows.add(row);
        }
        return new Result(columns, rows);
    }

    static Map<String, String> params(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
