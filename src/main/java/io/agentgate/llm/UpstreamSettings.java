package io.agentgate.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach an OpenAI-compatible upstream. {@code baseUrl} follows the SDKs' convention and
 * includes {@code /v1} (e.g. {@code http://localhost:11434/v1}); {@code readTimeout} is an idle
 * timeout — the longest silence tolerated while waiting for headers or for the next stream bytes;
 * {@code maxLineBytes} the longest stream line accepted.
 */
public record UpstreamSettings(
        String baseUrl,
        Optional<String> apiKey,
        String model,
        Duration connectTimeout,
        Duration readTimeout,
        RetryPolicy retry,
        int maxLineBytes) {

    public URI chatCompletionsUri() {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/chat/completions");
    }

    /**
     * Attempts in all (first try included) for failures that happen before the upstream sent any
     * reply, with exponential backoff starting at {@code firstBackoff}.
     */
    public record RetryPolicy(int attempts, Duration firstBackoff) {

        public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200));

        public Duration backoffAfter(int failedAttempt) {
            return firstBackoff.multipliedBy(1L << Math.min(failedAttempt - 1, 10));
        }
    }
}
