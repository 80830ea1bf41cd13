package io.agentgate.config;

import io.agentgate.chat.ToolProgress;
import io.agentgate.security.Secrets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the gateway can be told from outside. Built once at start-up by {@link ConfigLoader};
 * every value here has a documented default (see the README's configuration table).
 */
public record GatewayConfig(
        String host,
        int port,
        Optional<String> dbUrl,
        String dbUser,
        String dbPassword,
        Path dataDir,
        Optional<String> instanceId,
        Optional<String> apiKey,
        Optional<String> upstreamBaseUrl,
        Optional<String> upstreamApiKey,
        String model,
        Duration keepaliveInterval,
        long maxRequestBytes,
        List<String> corsOrigins,
        int dbPoolSize,
        Duration demoWordDelay,
        int maxIterations,
        String toolProgress,
        Duration upstreamConnectTimeout,
        Duration upstreamReadTimeout,
        SessionSettings sessions,
        Duration requestBodyTimeout,
        int upstreamMaxLineBytes,
        LifecycleSettings lifecycle) {

    /** The model id served when no upstream is configured. */
    public static final String DEMO_MODEL = "demo";
    /** The request body is buffered in one array before it is parsed. */
    static final long MAX_REQUEST_BYTES_LIMIT = Integer.MAX_VALUE - 8;
    static final int MAX_PORT = 65_535;
    /** An SSE line is held in one array (and then one string) while it is read. */
    static final int MIN_LINE_BYTES = 1024;
    /** What an instance id may hold: it is logged, stored (instances, sessions, runs) and shown to operators. */
    public static final Pattern INSTANCE_ID = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    /**
     * Checks every value against what the gateway can work with, in one place at start-up (as
     * HikariCP's {@code HikariConfig.validate()}), and names the variable to fix. Returns this.
     *
     * @throws IllegalArgumentException naming the first setting that is out of range
     */
    public GatewayConfig validate() {
        if (port < 0 || port > MAX_PORT) {
            throw invalid("AGENTGATE_PORT", "must be 0.." + MAX_PORT + " (0: any free port)", port);
        }
        if (dbPoolSize < 1) {
            throw invalid("AGENTGATE_DB_POOL_SIZE", "must be at least 1", dbPoolSize);
        }
        if (maxRequestBytes < 1 || maxRequestBytes > MAX_REQUEST_BYTES_LIMIT) {
            throw invalid("AGENTGATE_MAX_REQUEST_BYTES", "must be 1.." + MAX_REQUEST_BYTES_LIMIT, maxRequestBytes);
        }
        if (maxIterations < 1) {
            throw invalid("AGENTGATE_MAX_ITERATIONS", "must be positive", maxIterations);
        }
        if (ToolProgress.of(toolProgress).isEmpty()) {
            throw invalid("AGENTGATE_TOOL_PROGRESS", "must be one of " + Arrays.stream(ToolProgress.values())
                    .map(ToolProgress::setting).collect(Collectors.joining(", ")), "'" + toolProgress + "'");
        }
        if (demoWordDelay.isNegative()) {
            throw invalid("AGENTGATE_DEMO_WORD_DELAY_MS", "must not be negative", demoWordDelay.toMillis());
        }
        if (instanceId.isPresent() && !INSTANCE_ID.matcher(instanceId.get()).matches()) {
            throw invalid("AGENTGATE_INSTANCE_ID",
                    "must be 1-128 letters, digits and . _ : @ - (starting with a letter or digit)", "'" + instanceId.get() + "'");
        }
        positive("AGENTGATE_KEEPALIVE_SECONDS", keepaliveInterval);
        positive("AGENTGATE_UPSTREAM_CONNECT_TIMEOUT_SECONDS", upstreamConnectTimeout);
        positive("AGENTGATE_UPSTREAM_READ_TIMEOUT_SECONDS", upstreamReadTimeout);
        positive("AGENTGATE_REQUEST_BODY_TIMEOUT_SECONDS", requestBodyTimeout);
        if (upstreamMaxLineBytes < MIN_LINE_BYTES || upstreamMaxLineBytes > MAX_REQUEST_BYTES_LIMIT) {
            throw invalid("AGENTGATE_UPSTREAM_MAX_LINE_BYTES", "must be " + MIN_LINE_BYTES + ".."
                    + MAX_REQUEST_BYTES_LIMIT, upstreamMaxLineBytes);
        }
        if (upstreamBaseUrl.isPresent()) {
            String url = upstreamBaseUrl.get();
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("AGENTGATE_UPSTREAM_BASE_URL must start with http:// or https://,"
                        + " got '" + Secrets.redactUrl(url) + "'");
            }
            if (model.equals(DEMO_MODEL)) {
                // Without it every request would ask the upstream for a model called "demo".
                throw new IllegalArgumentException(
                        "AGENTGATE_MODEL must name the upstream model when AGENTGATE_UPSTREAM_BASE_URL is set");
            }
        }
        if (lifecycle.shutdownGrace().isNegative()) {
            throw invalid("AGENTGATE_SHUTDOWN_GRACE_SECONDS", "must not be negative (0: end turns at once)",
                    lifecycle.shutdownGrace().toMillis() / 1000.0);
        }
        if (lifecycle.dbTimeout().compareTo(LifecycleSettings.MIN_DB_TIMEOUT) < 0) {
            throw invalid("AGENTGATE_DB_TIMEOUT_SECONDS", "must be at least 0.25", lifecycle.dbTimeout().toMillis() / 1000.0);
        }
        positive("AGENTGATE_SUSPEND_WINDOW_SECONDS", sessions.suspendWindow());
        if (sessions.idleTimeout().isNegative() || sessions.idleTimeout().isZero()) {
            throw invalid("AGENTGATE_SESSION_IDLE_MINUTES", "must be positive", sessions.idleTimeout().toSeconds() / 60.0);
        }
        positive("AGENTGATE_SESSION_LEASE_SECONDS", sessions.lease());
        positive("AGENTGATE_MEMORY_SWEEP_SECONDS", sessions.memorySweep());
        if (sessions.keyMaxLength() < 1 || sessions.keyMaxLength() > SessionSettings.KEY_LENGTH_LIMIT) {
            throw invalid("AGENTGATE_SESSION_KEY_MAX_LENGTH", "must be 1.." + SessionSettings.KEY_LENGTH_LIMIT,
                    sessions.keyMaxLength());
        }
        if (sessions.dailyResetHour().isPresent()
                && (sessions.dailyResetHour().getAsInt() < 0 || sessions.dailyResetHour().getAsInt() > 23)) {
            throw invalid("AGENTGATE_SESSION_DAILY_HOUR", "must be 0..23", sessions.dailyResetHour().getAsInt());
        }
        return this;
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw invalid(name, "must be positive", value.toNanos() / 1e9);
        }
    }

    private static IllegalArgumentException invalid(String name, String rule, Object value) {
        return new IllegalArgumentException(name + " " + rule + ", got " + value);
    }

    /** Where streamed tool steps go ({@code AGENTGATE_TOOL_PROGRESS}, checked by {@link #validate()}). */
    public ToolProgress toolProgressMode() {
        return ToolProgress.of(toolProgress).orElseThrow();
    }

    public boolean usesEmbeddedDatabase() {
        return dbUrl.isEmpty();
    }

    public boolean usesDemoModel() {
        return upstreamBaseUrl.isEmpty();
    }

    /** The whole configuration with every secret masked, safe to log at INFO. */
    @Override
    public String toString() {
        return "GatewayConfig[host=" + host + ", port=" + port
                + ", instanceId=" + instanceId.orElse("default")
                + ", db=" + dbUrl.map(Secrets::redactUrl).orElse("embedded:" + dataDir)
                + ", apiKey=" + (apiKey.isPresent() ? "set" : "unset")
                + ", upstream=" + upstreamBaseUrl.map(Secrets::redactUrl).orElse("demo")
                + ", model=" + model
                + ", keepalive=" + keepaliveInterval
                + ", maxRequestBytes=" + maxRequestBytes
                + ", corsOrigins=" + corsOrigins
                + ", dbPoolSize=" + dbPoolSize
                + ", demoWordDelay=" + demoWordDelay
                + ", maxIterations=" + maxIterations
                + ", toolProgress=" + toolProgress
                + ", upstreamConnectTimeout=" + upstreamConnectTimeout
                + ", upstreamReadTimeout=" + upstreamReadTimeout
                + ", requestBodyTimeout=" + requestBodyTimeout
                + ", upstreamMaxLineBytes=" + upstreamMaxLineBytes
                + ", sessions[" + sessions + "]"
                + ", lifecycle[" + lifecycle + "]]";
    }
}
