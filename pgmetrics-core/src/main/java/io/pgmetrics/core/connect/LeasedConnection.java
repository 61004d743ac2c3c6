package io.pgmetrics.core.connect;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection of a {@link PooledConnectionSource} as one borrower sees it: {@code close()} gives
 * the physical connection back, {@code abort()} drops it, and after either every call fails, so a
 * borrower that keeps a reference cannot use a connection lent to someone else since.
 */
final class LeasedConnection implements Connection {

    private final PooledConnectionSource pool;
    private final PooledConnectionSource.Slot slot;
    private final AtomicBoolean ended = new AtomicBoolean();

    LeasedConnection(PooledConnectionSource pool, PooledConnectionSource.Slot slot) {
        this.pool = pool;
        this.slot = slot;
    }

    PooledConnectionSource pool() {
        return pool;
    }

    PooledConnectionSource.Slot slot() {
        return slot;
    }

    /** Ends this lease; true only for the first caller, so a connection is given back once. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    private Connection physical() throws SQLException {
        if (ended.get()) {
            throw new SQLException("this connection was given back to the pool", "08003");
        }
        return slot.connection();
    }

    private Connection clientInfoTarget() throws SQLClientInfoException {
        if (ended.get()) {
            throw new SQLClientInfoException("this connection was given back to the pool", "08003", 0, Map.of());
        }
        return slot.connection();
    }

    @Override
    public void close() {
        pool.giveBack(this);
    }

    @Override
    public boolean isClosed() throws SQLException {
        return ended.get() || slot.connection().isClosed();
    }

    @Override
    public void abort(Executor executor) {
        pool.discard(this);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : physical().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "pooled connection to database " + slot.database() + (ended.get() ? " (given back)" : "");
    }

    // ---- everything else goes to the physical connection ----

    @Override
    public Statement createStatement() throws SQLException {
        return physical().createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return physical().prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return physical().prepareCall(sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return physical().nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        physical().setAutoCommit(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return physical().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        physical().commit();
    }

    @Override
    public void rollback() throws SQLException {
        physical().rollback();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return physical().getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        physical().setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return physical().isReadOnly();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        physical().setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return physical().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        physical().setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return physical().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return physical().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        physical().clearWarnings();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return physical().createStatement(resultSetType, resultSetConcurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return physical().prepareStatement(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return physical().prepareCall(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return physical().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        physical().setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        physical().setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return physical().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return physical().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return physical().setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        physical().rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        physical().releaseSavepoint(savepoint);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return physical().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return physical().prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return physical().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return physical().prepareStatement(sql, autoGeneratedKeys);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return physical().prepareStatement(sql, columnIndexes);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return physical().prepareStatement(sql, columnNames);
    }

    @Override
    public Clob createClob() throws SQLException {
        return physical().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return physical().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return physical().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return physical().createSQLXML();
    }

    @Override
    public boolean isValid(int timeoutSeconds) throws SQLException {
        return physical().isValid(timeoutSeconds);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return physical().getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return physical().getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return physical().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return physical().createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        physical().setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        return physical().getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        physical().setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return physical().getNetworkTimeout();
    }
}
