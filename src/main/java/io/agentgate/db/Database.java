package io.agentgate.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agentgate.config.ConfigLoader;
import io.agentgate.config.GatewayConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: the external one named by {@code AGENTGATE_DB_URL}, or an embedded one
 * whose data directory survives restarts. Owns the connection pool and migrates the schema with
 * Flyway from {@code db/migration} on the classpath before anything else may use it.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final String url;
    private final String user;
    private final String password;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, String url, String user, String password) {
        this.embedded = embedded;
        this.pool = pool;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static Database start(GatewayConfig config) {
        EmbeddedPostgres embedded = null;
        String url;
        String user = config.dbUser();
        String password = config.dbPassword();
        if (config.usesEmbeddedDatabase()) {
            embedded = startEmbedded(config.dataDir());
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = "";
        } else {
            url = config.dbUrl().orElseThrow();
        }
        try {
            HikariDataSource pool = createPool(url, user, password, config.dbPoolSize());
            migrate(pool);
            return new Database(embedded, pool, url, user, password);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Connections of their own, outside the pool, for a task that holds one for the instance's life
     * (LISTEN); {@code applicationName} shows in {@code pg_stat_activity}.
     */
    public DataSource unpooledDataSource(String applicationName) {
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(url);
        direct.setUser(user);
        direct.setPassword(password);
        direct.setApplicationName(applicationName);
        direct.setConnectTimeout(10);
        direct.setTcpKeepAlive(true);
        return direct;
    }

    /** True when the database answers and the migration history is readable. */
    public boolean isReady() {
        try (Connection c = pool.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT count(*) FROM flyway_schema_history WHERE success")) {
            return rs.next() && rs.getInt(1) > 0;
        } catch (SQLException e) {
            log.debug("readiness check failed", e);
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
        closeQuietly(embedded);
    }

    private static EmbeddedPostgres startEmbedded(Path dataDir) {
        try {
            Path pgData = dataDir.resolve("pg");
            Files.createDirectories(pgData);
            log.info("Starting embedded PostgreSQL with data in {}", pgData);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL did not start (data dir " + dataDir + ")", e);
        }
    }

    private static HikariDataSource createPool(String url, String user, String password, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("agentgate");
        hc.setJdbcUrl(url);
        // Named explicitly: in a WAR the driver sits in WEB-INF/lib, where DriverManager cannot see it.
        hc.setDriverClassName("org.postgresql.Driver");
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(Math.min(2, size));
        hc.setConnectionTimeout(10_000);
        log.info("Connecting to {}", ConfigLoader.redactUrl(url));
        return new HikariDataSource(hc);
    }

    private static void migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        log.info("Database schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
