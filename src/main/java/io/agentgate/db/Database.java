package io.agentgate.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agentgate.security.Secrets;
import io.agentgate.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: the external one named by {@code AGENTGATE_DB_URL}, or an embedded one
 * whose data directory survives restarts. Owns the connection pool and migrates the schema with
 * Flyway from {@code db/migration} before anything else may use it.
 *
 * <p>The gateway starts without its database: {@link #open} returns at once and a watcher thread of
 * its own connects (starting the embedded server, or waiting for its data directory while another
 * copy of the application still holds it), migrates, runs the start-up work, then marks the
 * database ready; afterwards it checks it twice a second and restarts an embedded server that
 * died. While the database is not ready, {@link #dataSource()} fails at once, and at worst a
 * request waits {@code AGENTGATE_DB_TIMEOUT_SECONDS} before the watcher notices an outage.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    /** Readiness answers within this even while a check hangs on a stalled database. */
    private static final Duration READINESS_BUDGET = Duration.ofSeconds(1);

    private enum State { CONNECTING, MIGRATED, READY, UNREACHABLE, CLOSED }

    private final GatewayConfig config;
    private final PGSimpleDataSource connections;
    private final List<PGSimpleDataSource> unpooled = new CopyOnWriteArrayList<>();
    private final HikariDataSource pool;
    private final DataSource gate;
    private final Runnable onMigrated;
    private final Thread watcher;
    private volatile State state = State.CONNECTING;
    private volatile long checkStartedNanos;
    private volatile EmbeddedPostgresServer embedded;
    private volatile String lastProblem = "";
    private String lastProblemKind = "";

    private Database(GatewayConfig config, Runnable onMigrated) {
        this.config = config;
        this.onMigrated = onMigrated;
        this.connections = configure(new PGSimpleDataSource());
        this.pool = createPool(connections, config);
        this.gate = new ReadyDataSource(pool, this::admits);
        this.watcher = Thread.ofPlatform().name("agentgate-database").daemon(true).unstarted(this::watch);
    }

    /**
     * Returns at once; the database is connected, migrated and made ready in the background, and
     * {@code onMigrated} runs once, after the migration and before the first request may use it.
     */
    public static Database open(GatewayConfig config, Runnable onMigrated) {
        Database database = new Database(config, onMigrated);
        database.watcher.start();
        return database;
    }

    /** Opens and waits until ready (tools and probes that need the database before they do anything). */
    public static Database start(GatewayConfig config) {
        Database database = open(config, () -> {});
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!database.isReady()) {
            if (System.nanoTime() > deadline) {
                database.close();
                throw new IllegalStateException("The database did not become ready within 120 s: " + database.lastProblem);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                database.close();
                throw new IllegalStateException("interrupted while waiting for the database", e);
            }
        }
        return database;
    }

    /**
     * Waits until the database is ready, but only while it is getting there: returns as soon as the
     * watcher met a problem (nothing listening, the data directory held by another process), so a
     * gateway without its database starts at once, while one joining a running server (a hot
     * redeploy) or starting its own is ready before its first request. Returns whether it is ready.
     */
    public boolean awaitStartup(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!isReady() && lastProblem.isEmpty() && state != State.CLOSED && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return isReady();
    }

    /** Pooled connections; failing at once with an {@link SQLException} while the database is not ready. */
    public DataSource dataSource() {
        return gate;
    }

    /**
     * Connections of their own, outside the pool, for a task that holds one for the instance's life
     * (LISTEN); {@code applicationName} shows in {@code pg_stat_activity}.
     */
    public synchronized DataSource unpooledDataSource(String applicationName) {
        PGSimpleDataSource direct = configure(new PGSimpleDataSource());
        direct.setApplicationName(applicationName);
        direct.setTcpKeepAlive(true);
        // Held for the instance's life and waiting on notifications: no socket timeout.
        direct.setSocketTimeout(0);
        unpooled.add(direct);
        return direct;
    }

    /**
     * True when the database answers and is migrated; answers within a second whatever the database
     * does (from the watcher's last check, and false while a check has hung for longer).
     */
    public boolean isReady() {
        long started = checkStartedNanos;
        return state == State.READY
                && (started == 0 || System.nanoTime() - started < READINESS_BUDGET.toNanos());
    }

    @Override
    public void close() {
        state = State.CLOSED;
        watcher.interrupt();
        try {
            watcher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        EmbeddedPostgresServer server = embedded;
        if (server != null) {
            server.release();
        }
        deregisterOwnDrivers();
    }

    /** Requests get connections once ready; the start-up work on the watcher thread once migrated. */
    private boolean admits() {
        State now = state;
        return now == State.READY || now == State.MIGRATED && Thread.currentThread() == watcher;
    }

    private void watch() {
        while (state != State.CLOSED) {
            try {
                if (state == State.CONNECTING) {
                    connect();
                } else {
                    check();
                }
            } catch (Exception e) {
                problem(e);
            }
            try {
                Thread.sleep(CHECK_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connect() throws IOException {
        if (config.usesEmbeddedDatabase()) {
            if (embedded == null) {
                embedded = EmbeddedPostgresServer.acquire(config.dataDir().resolve("pg"), 0);
                usePort(embedded.port());
            } else if (!embedded.isRunning()) {
                embedded.restart();
            }
        }
        MigrateResult result = Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        log.info("Database schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
        state = State.MIGRATED;
        onMigrated.run();
        if (state == State.MIGRATED) {
            state = State.READY;
            lastProblem = "";
            lastProblemKind = "";
            log.info("Database ready");
        }
    }

    private void check() throws IOException {
        if (embedded != null && !embedded.isRunning()) {
            markUnreachable("the embedded PostgreSQL is not running");
            embedded.restart();
        }
        checkStartedNanos = System.nanoTime();
        boolean ok;
        try (Connection c = pool.getConnection()) {
            ok = c.isValid((int) Math.max(1, READINESS_BUDGET.toSeconds()));
        } catch (SQLException e) {
            ok = false;
            lastProblemIs(e.getClass().getName(), e.getMessage());
        } finally {
            checkStartedNanos = 0;
        }
        if (ok && state == State.UNREACHABLE) {
            state = State.READY;
            lastProblem = "";
            lastProblemKind = "";
            log.info("Database reachable again");
        } else if (!ok) {
            markUnreachable(lastProblem);
        }
    }

    private void markUnreachable(String why) {
        if (state == State.READY) {
            state = State.UNREACHABLE;
            log.warn("Database unreachable ({}); requests that need it fail with 503 database_unavailable", why);
            // Connections to the old server are dead: do not hand them out once it is back.
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private void problem(Exception e) {
        if (state == State.CLOSED) {
            return;
        }
        String message = e instanceof EmbeddedPostgresServer.DataDirectoryBusy
                ? "waiting for the data directory: " + e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (lastProblemIs(e.getClass().getName(), message)) {
            log.warn("Database not ready ({}); retrying every {} ms", message, CHECK_EVERY.toMillis());
            log.debug("Database problem", e);
        }
    }

    /**
     * Records the latest problem; true when its kind differs from the one before, so an outage is
     * logged once rather than twice a second (the messages carry timings that change every time).
     */
    private boolean lastProblemIs(String kind, String message) {
        boolean changed = !kind.equals(lastProblemKind);
        lastProblemKind = kind;
        lastProblem = message == null ? kind : message;
        return changed;
    }

    private synchronized void usePort(int port) {
        connections.setPortNumbers(new int[] {port});
        unpooled.forEach(d -> d.setPortNumbers(new int[] {port}));
    }

    /** The server, user and timeouts every connection of this database uses. */
    private PGSimpleDataSource configure(PGSimpleDataSource source) {
        if (config.usesEmbeddedDatabase()) {
            source.setServerNames(new String[] {"localhost"});
            EmbeddedPostgresServer server = embedded;
            source.setPortNumbers(new int[] {server == null ? 1 : server.port()});
            source.setDatabaseName("postgres");
            source.setUser("postgres");
        } else {
            source.setURL(config.dbUrl().orElseThrow());
            source.setUser(config.dbUser());
            source.setPassword(config.dbPassword());
        }
        int seconds = (int) Math.max(1, Math.ceil(config.lifecycle().dbTimeout().toMillis() / 1000.0));
        source.setConnectTimeout(seconds);
        source.setLoginTimeout(seconds);
        // A stalled server (SIGSTOP, lost host) fails the statement instead of hanging the request.
        source.setSocketTimeout(seconds);
        // ...and a transaction whose COMMIT the gateway gave up on must not commit when the server wakes
        // up: by then it has idled in its transaction longer than this, and the server ends the session
        // before it reads the COMMIT. Our transactions never idle (no model call inside one).
        source.setOptions("-c idle_in_transaction_session_timeout=" + config.lifecycle().dbTimeout().toMillis());
        return source;
    }

    private static HikariDataSource createPool(DataSource connections, GatewayConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("agentgate");
        hc.setDataSource(connections);
        hc.setMaximumPoolSize(config.dbPoolSize());
        hc.setMinimumIdle(Math.min(2, config.dbPoolSize()));
        hc.setConnectionTimeout(config.lifecycle().dbTimeout().toMillis());
        hc.setValidationTimeout(Math.min(1000, config.lifecycle().dbTimeout().toMillis()));
        // Start without the database: connections are made when it is there.
        hc.setInitializationFailTimeout(-1);
        log.info("Connecting to {}", config.dbUrl().map(Secrets::redactUrl)
                .orElse("the embedded PostgreSQL in " + config.dataDir().resolve("pg")));
        return new HikariDataSource(hc);
    }

    /**
     * A web application's JDBC driver is deregistered as it stops (else DriverManager keeps its class
     * loader alive, and Tomcat warns on every reload). Left alone when loaded by the JVM's own class
     * loader (standalone, tests), where other code of the JVM may still use it.
     */
    private static void deregisterOwnDrivers() {
        ClassLoader own = Database.class.getClassLoader();
        if (own == ClassLoader.getSystemClassLoader()) {
            return;
        }
        for (Driver driver : DriverManager.drivers().toList()) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                    log.info("Deregistered JDBC driver {}", driver.getClass().getName());
                } catch (SQLException e) {
                    log.warn("Could not deregister JDBC driver {}: {}", driver.getClass().getName(), e.getMessage());
                }
            }
        }
    }

    /** For tests and operators' tooling: where the embedded server keeps its data (null when external). */
    public Path embeddedDataDirectory() {
        return config.usesEmbeddedDatabase() ? config.dataDir().resolve("pg") : null;
    }
}
