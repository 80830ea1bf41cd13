package io.agentgate.config;

import java.time.Duration;

/**
 * How the gateway behaves when it stops and when its database is away.
 *
 * @param shutdownGrace how long turns in flight may run on once the gateway is stopping
 *                      ({@code AGENTGATE_SHUTDOWN_GRACE_SECONDS}); the rest end with a {@code shutdown} error
 * @param dbTimeout     the longest a request waits for the database before it fails with 503
 *                      {@code database_unavailable} ({@code AGENTGATE_DB_TIMEOUT_SECONDS}): the pool's
 *                      connection timeout and the driver's connect and socket timeouts
 */
public record LifecycleSettings(Duration shutdownGrace, Duration dbTimeout) {

    /** HikariCP refuses a connection timeout below 250 ms. */
    static final Duration MIN_DB_TIMEOUT = Duration.ofMillis(250);

    @Override
    public String toString() {
        return "shutdownGrace=" + shutdownGrace + ", dbTimeout=" + dbTimeout;
    }
}
