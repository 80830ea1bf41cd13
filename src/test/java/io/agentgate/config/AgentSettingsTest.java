package io.agentgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent and upstream settings: defaults, fractions, and what is refused at start-up. */
class AgentSettingsTest {

    @Test
    void defaults() {
        GatewayConfig config = ConfigLoader.load(Map.<String, String>of()::get);

        assertEquals(20, config.maxIterations());
        assertEquals(Duration.ofSeconds(10), config.upstreamConnectTimeout());
        assertEquals(Duration.ofSeconds(120), config.upstreamReadTimeout());
        assertTrue(config.usesDemoModel());
    }

    @Test
    void timeoutsTakeFractionsOfSeconds() {
        GatewayConfig config = ConfigLoader.load(Map.of(
                "AGENTGATE_UPSTREAM_CONNECT_TIMEOUT_SECONDS", "2.5",
                "AGENTGATE_UPSTREAM_READ_TIMEOUT_SECONDS", "0.25",
                "AGENTGATE_MAX_ITERATIONS", "5")::get);

        assertEquals(Duration.ofMillis(2500), config.upstreamConnectTimeout());
        assertEquals(Duration.ofMillis(250), config.upstreamReadTimeout());
        assertEquals(5, config.maxIterations());
    }

    @Test
    void anUpstreamNeedsAModelIdAndLimitsMustBePositive() {
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(
                Map.of("AGENTGATE_UPSTREAM_BASE_URL", "http://localhost:11434/v1")::get));
        assertTrue(noModel.getMessage().contains("AGENTGATE_MODEL"), noModel.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(Map.of("AGENTGATE_MAX_ITERATIONS", "0")::get));
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(Map.of("AGENTGATE_UPSTREAM_READ_TIMEOUT_SECONDS", "-1")::get));
    }
}
