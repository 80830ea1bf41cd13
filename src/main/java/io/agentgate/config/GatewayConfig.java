package io.agentgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
        Duration upstreamConnectTimeout,
        Duration upstreamReadTimeout,
        SessionSettings sessions) {

    /** The model id served when no upstream is configured. */
    public static final String DEMO_MODEL = "demo";

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
                + ", db=" + dbUrl.map(ConfigLoader::redactUrl).orElse("embedded:" + dataDir)
                + ", apiKey=" + (apiKey.isPresent() ? "set" : "unset")
                + ", upstream=" + upstreamBaseUrl.map(ConfigLoader::redactUrl).orElse("demo")
                + ", model=" + model
                + ", keepalive=" + keepaliveInterval
                + ", maxRequestBytes=" + maxRequestBytes
                + ", corsOrigins=" + corsOrigins
                + ", dbPoolSize=" + dbPoolSize
                + ", demoWordDelay=" + demoWordDelay
                + ", maxIterations=" + maxIterations
                + ", upstreamConnectTimeout=" + upstreamConnectTimeout
                + ", upstreamReadTimeout=" + upstreamReadTimeout
                + ", sessions[" + sessions + "]]";
    }
}
