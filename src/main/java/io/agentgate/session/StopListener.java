package io.agentgate.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a /stop made on another instance to the turn running here within milliseconds: LISTEN on a
 * connection of its own (not the pool's: it is held for the instance's life), on its own named
 * thread, handing each stopped run id to {@code onStopped}. When the connection drops it reconnects
 * with backoff, and after every (re)connect runs {@code onConnected} (a heartbeat: stops sent while
 * nobody listened are found in the database). The lease heartbeat stays the fallback for a lost
 * notification, at most a third of a lease later.
 */
final class StopListener implements Runnable, AutoCloseable {

    /** The NOTIFY channel; the payload is the stopped run's id. */
    static final String CHANNEL = "agentgate_stop";

    private static final Logger log = LoggerFactory.getLogger(StopListener.class);
    /** How long one wait for notifications lasts: also how long {@link #close()} may wait for the thread. */
    private static final int POLL_MILLIS = 250;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DataSource source;
    private final Consumer<UUID> onStopped;
    private final Runnable onConnected;
    /** A silent connection is checked this often, so a dead one (no RST) is noticed. */
    private final Duration probeEvery;
    private final Thread thread;
    private volatile boolean running = true;

    StopListener(DataSource source, Consumer<UUID> onStopped, Runnable onConnected, Duration probeEvery) {
        this.source = source;
        this.onStopped = onStopped;
        this.onConnected = onConnected;
        this.probeEvery = probeEvery;
        this.thread = Thread.ofPlatform().name("agentgate-stop-listener").daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (running) {
            try (Connection c = source.getConnection()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                backoff = FIRST_BACKOFF_MILLIS;
                log.debug("Listening for stops on channel {}", CHANNEL);
                runQuietly(onConnected);
                listen(c.unwrap(PGConnection.class), c);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("Stop listener lost its database connection ({}); reconnecting in {} ms, stops from other"
                        + " instances arrive with the heartbeat meanwhile", e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private void listen(PGConnection pg, Connection c) throws SQLException {
        long lastTraffic = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                lastTraffic = System.nanoTime();
                for (PGNotification n : notifications) {
                    stopped(n.getParameter());
                }
            } else if (System.nanoTime() - lastTraffic > probeEvery.toNanos()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                lastTraffic = System.nanoTime();
            }
        }
    }

    private void stopped(String payload) {
        UUID runId;
        try {
            runId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            log.debug("Ignoring a notification on {} that is not a run id", CHANNEL);
            return;
        }
        runQuietly(() -> onStopped.accept(runId));
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("Stop listener task failed: {}", e.toString());
            log.debug("Stop listener task failure", e);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    /** Stops listening: the thread ends within one poll, or at once when it waits to reconnect. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Stop listener thread did not end within {} ms", POLL_MILLIS * 4);
        }
    }
}
