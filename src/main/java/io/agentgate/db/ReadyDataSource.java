package io.agentgate.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool as the rest of the gateway sees it: while the database is not ready (not yet migrated,
 * or known unreachable) a connection is refused at once, so a request fails in microseconds rather
 * than waiting out the pool's connection timeout on every call.
 */
final class ReadyDataSource implements DataSource {

    /** The SQLState of "connection exception" (class 08): callers treat it as the database being away. */
    static final String UNAVAILABLE_STATE = "08001";

    private final DataSource pool;
    private final BooleanSupplier admits;

    ReadyDataSource(DataSource pool, BooleanSupplier admits) {
        this.pool = pool;
        this.admits = admits;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!admits.getAsBoolean()) {
            throw new SQLTransientConnectionException("The database is not available.", UNAVAILABLE_STATE);
        }
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the gateway's pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
