package io.agentgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentgate.config.SessionSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which automatic reset is due, by the database clock. */
class SessionResetPolicyTest {

    private final ResetPolicy policy = new ResetPolicy(new SessionSettings(Duration.ofSeconds(120),
            Duration.ofHours(24), OptionalInt.of(4), ZoneOffset.UTC, 256, Duration.ofSeconds(30),
            Duration.ofSeconds(60)));

    @Test
    void suspendedWinsOverEverything() {
        Instant now = Instant.parse("2026-01-02T05:00:00Z");
        assertEquals(Optional.of(ResetReason.SUSPENDED), policy.due(true, now, now));
    }

    @Test
    void dailyResetAfterTheHourPassedSinceTheLastTouch() {
        Instant now = Instant.parse("2026-01-02T05:00:00Z");
        assertEquals(Optional.of(ResetReason.DAILY), policy.due(false, Instant.parse("2026-01-02T03:59:00Z"), now));
        assertEquals(Optional.empty(), policy.due(false, Instant.parse("2026-01-02T04:01:00Z"), now));
        Instant beforeTheHour = Instant.parse("2026-01-02T03:00:00Z");
        assertEquals(Optional.empty(), policy.due(false, Instant.parse("2026-01-01T05:00:00Z"), beforeTheHour));
        assertEquals(Optional.of(ResetReason.DAILY),
                policy.due(false, Instant.parse("2026-01-01T03:00:00Z"), beforeTheHour));
    }

    @Test
    void idleAfterTheIdleTimeout() {
        Instant now = Instant.parse("2026-01-05T05:00:00Z");
        assertEquals(Optional.of(ResetReason.IDLE), policy.due(false, Instant.parse("2026-01-03T05:00:00Z"), now));
        assertEquals(Instant.parse("2026-01-05T04:00:00Z"), policy.resetCutoff(now));
    }
}
