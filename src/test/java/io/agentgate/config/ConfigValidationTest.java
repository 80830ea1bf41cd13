package io.agentgate.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every setting is checked at start-up, and a refusal names the variable to fix. */
class ConfigValidationTest {

    @Test
    void theDefaultsAreValid() {
        assertDoesNotThrow(() -> ConfigLoader.load(Map.<String, String>of()::get));
    }

    @ParameterizedTest
    @CsvSource({
            "AGENTGATE_PORT, 65536",
            "AGENTGATE_PORT, -1",
            "AGENTGATE_PORT, 99999999999",
            "AGENTGATE_PORT, eighty",
            "AGENTGATE_DB_POOL_SIZE, 0",
            "AGENTGATE_MAX_REQUEST_BYTES, 0",
            "AGENTGATE_MAX_REQUEST_BYTES, 4294967296",
            "AGENTGATE_MAX_ITERATIONS, 0",
            "AGENTGATE_TOOL_PROGRESS, everywhere",
            "AGENTGATE_DEMO_WORD_DELAY_MS, -5",
            "AGENTGATE_KEEPALIVE_SECONDS, 0",
            "AGENTGATE_UPSTREAM_CONNECT_TIMEOUT_SECONDS, -1",
            "AGENTGATE_UPSTREAM_READ_TIMEOUT_SECONDS, NaN",
            "AGENTGATE_SUSPEND_WINDOW_SECONDS, 0",
            "AGENTGATE_SESSION_IDLE_MINUTES, 0",
            "AGENTGATE_SESSION_LEASE_SECONDS, -2",
            "AGENTGATE_MEMORY_SWEEP_SECONDS, 0",
            "AGENTGATE_SESSION_KEY_MAX_LENGTH, 257",
            "AGENTGATE_SESSION_KEY_MAX_LENGTH, 0",
            "AGENTGATE_SESSION_DAILY_HOUR, 24",
            "AGENTGATE_INSTANCE_ID, 'two words'",
            "AGENTGATE_INSTANCE_ID, -leading-dash",
            "AGENTGATE_INSTANCE_ID, a/b",
            "AGENTGATE_REQUEST_BODY_TIMEOUT_SECONDS, 0",
            "AGENTGATE_REQUEST_BODY_TIMEOUT_SECONDS, -1",
            "AGENTGATE_UPSTREAM_MAX_LINE_BYTES, 100",
            "AGENTGATE_UPSTREAM_MAX_LINE_BYTES, 4294967296",
    })
    void anOutOfRangeValueIsRefusedNamingItsVariable(String name, String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(Map.of(name, value)::get));

        assertTrue(refused.getMessage().startsWith(name + " "), refused.getMessage());
    }

    @Test
    void anInstanceIdOfHostAndPortIsAccepted() {
        assertDoesNotThrow(() -> ConfigLoader.load(Map.of("AGENTGATE_INSTANCE_ID", "gw-1.example.com:8642")::get));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(Map.of("AGENTGATE_INSTANCE_ID", "x".repeat(129))::get));
        assertTrue(tooLong.getMessage().startsWith("AGENTGATE_INSTANCE_ID "), tooLong.getMessage());
    }

    @Test
    void anUpstreamNeedsAnHttpUrlAndAModel() {
        IllegalArgumentException noScheme = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                Map.of("AGENTGATE_UPSTREAM_BASE_URL", "localhost:11434/v1", "AGENTGATE_MODEL", "m")::get));
        assertTrue(noScheme.getMessage().startsWith("AGENTGATE_UPSTREAM_BASE_URL "), noScheme.getMessage());

        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                Map.of("AGENTGATE_UPSTREAM_BASE_URL", "http://localhost:11434/v1")::get));
        assertTrue(noModel.getMessage().startsWith("AGENTGATE_MODEL "), noModel.getMessage());
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        assertDoesNotThrow(() -> ConfigLoader.load(Map.of(
                "AGENTGATE_PORT", "65535",
                "AGENTGATE_DB_POOL_SIZE", "1",
                "AGENTGATE_MAX_REQUEST_BYTES", "1",
                "AGENTGATE_DEMO_WORD_DELAY_MS", "0",
                "AGENTGATE_SESSION_KEY_MAX_LENGTH", "256",
                "AGENTGATE_SESSION_DAILY_HOUR", "0")::get));
    }
}
