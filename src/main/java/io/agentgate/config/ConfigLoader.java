package io.agentgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@link GatewayConfig} from named settings ({@code AGENTGATE_*}). The lookup is a function so
 * that the same names work as environment variables, JVM system properties and servlet context
 * init-parameters (a WAR deployer may prefer the container's context configuration). Here a value
 * only has to parse; whether it makes sense is {@link GatewayConfig#validate()}'s job.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /** Servlet context init-param, then system property, then environment variable. */
    public static Function<String, String> layered(Function<String, String> contextParams) {
        return name -> firstNonBlank(contextParams.apply(name), System.getProperty(name), System.getenv(name));
    }

    public static GatewayConfig load(Function<String, String> settings) {
        Settings s = new Settings(settings);
        Optional<String> apiKey = s.optional("AGENTGATE_API_KEY");
        String host = s.string("AGENTGATE_HOST", "127.0.0.1");
        Optional<String> upstreamBaseUrl = s.optional("AGENTGATE_UPSTREAM_BASE_URL");
        Optional<String> model = s.optional("AGENTGATE_MODEL");
        return new GatewayConfig(
                host,
                s.integer("AGENTGATE_PORT", 8642),
                s.optional("AGENTGATE_DB_URL"),
                s.string("AGENTGATE_DB_USER", "postgres"),
                s.string("AGENTGATE_DB_PASSWORD", ""),
                Path.of(s.string("AGENTGATE_DATA_DIR",
                        Path.of(System.getProperty("user.home"), ".agentgate", "data").toString())),
                s.optional("AGENTGATE_INSTANCE_ID"),
                apiKey,
                upstreamBaseUrl,
                s.optional("AGENTGATE_UPSTREAM_API_KEY"),
                model.orElse(GatewayConfig.DEMO_MODEL),
                s.duration("AGENTGATE_KEEPALIVE_SECONDS", 30),
                s.longValue("AGENTGATE_MAX_REQUEST_BYTES", 1_000_000L),
                s.list("AGENTGATE_CORS_ORIGINS"),
                s.integer("AGENTGATE_DB_POOL_SIZE", 10),
                Duration.ofMillis(s.longValue("AGENTGATE_DEMO_WORD_DELAY_MS", 20)),
                s.integer("AGENTGATE_MAX_ITERATIONS", 20),
                s.string("AGENTGATE_TOOL_PROGRESS", "reasoning_content"),
                s.duration("AGENTGATE_UPSTREAM_CONNECT_TIMEOUT_SECONDS", 10),
                s.duration("AGENTGATE_UPSTREAM_READ_TIMEOUT_SECONDS", 120),
                sessionSettings(s),
                s.duration("AGENTGATE_REQUEST_BODY_TIMEOUT_SECONDS", 30),
                s.integer("AGENTGATE_UPSTREAM_MAX_LINE_BYTES", 32 * 1024 * 1024),
                new LifecycleSettings(
                        s.duration("AGENTGATE_SHUTDOWN_GRACE_SECONDS", 10),
                        s.duration("AGENTGATE_DB_TIMEOUT_SECONDS", 5))).validate();
    }

    private static SessionSettings sessionSettings(Settings s) {
        Optional<String> dailyHour = s.optional("AGENTGATE_SESSION_DAILY_HOUR");
        return new SessionSettings(
                s.duration("AGENTGATE_SUSPEND_WINDOW_SECONDS", 120),
                s.duration("AGENTGATE_SESSION_IDLE_MINUTES", 1440).multipliedBy(60),
                dailyHour.isEmpty()
                        ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(s.integer("AGENTGATE_SESSION_DAILY_HOUR", 0)),
                java.time.ZoneId.systemDefault(),
                s.integer("AGENTGATE_SESSION_KEY_MAX_LENGTH", SessionSettings.KEY_LENGTH_LIMIT),
                s.duration("AGENTGATE_SESSION_LEASE_SECONDS", 30),
                s.duration("AGENTGATE_MEMORY_SWEEP_SECONDS", 60));
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private record Settings(Function<String, String> source) {

        Optional<String> optional(String name) {
            String v = source.apply(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String string(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        int integer(String name, int fallback) {
            return optional(name).map(v -> parse(name, v, Integer::parseInt)).orElse(fallback);
        }

        long longValue(String name, long fallback) {
            return optional(name).map(v -> parse(name, v, Long::parseLong)).orElse(fallback);
        }

        /** Seconds, fractional allowed (tests use sub-second keepalives). */
        Duration duration(String name, double fallbackSeconds) {
            double seconds = optional(name).map(v -> parse(name, v, Double::parseDouble)).orElse(fallbackSeconds);
            if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e9) {
                throw new IllegalArgumentException(name + " has an invalid value: '" + seconds + "'");
            }
            return Duration.ofNanos((long) (seconds * 1_000_000_000L));
        }

        List<String> list(String name) {
            return optional(name)
                    .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                    .orElse(List.of());
        }

        private static <T> T parse(String name, String value, Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " has an invalid value: '" + value + "'", e);
            }
        }
    }
}
