package io.agentgate.session;

import io.agentgate.config.SessionSettings;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

/** Decides from a session's timestamps whether its next access starts a fresh session, and why. */
record ResetPolicy(SessionSettings settings) {

    /** The automatic reset due for a session, if any; times come from the database clock. */
    Optional<ResetReason> due(boolean suspended, Instant updatedAt, Instant now) {
        if (suspended) {
            return Optional.of(ResetReason.SUSPENDED);
        }
        if (updatedAt.isBefore(now.minus(settings.idleTimeout()))) {
            return Optional.of(ResetReason.IDLE);
        }
        return lastDailyReset(now).filter(updatedAt::isBefore).map(boundary -> ResetReason.DAILY);
    }

    /** Sessions last touched before this instant are due for an idle or daily reset. */
    Instant resetCutoff(Instant now) {
        Instant idleCutoff = now.minus(settings.idleTimeout());
        return lastDailyReset(now).filter(idleCutoff::isBefore).orElse(idleCutoff);
    }

    /** The most recent daily reset moment at or before {@code now}, when daily resets are on. */
    Optional<Instant> lastDailyReset(Instant now) {
        if (settings.dailyResetHour().isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime local = now.atZone(settings.zone());
        ZonedDateTime today = local.toLocalDate().atTime(settings.dailyResetHour().getAsInt(), 0)
                .atZone(settings.zone());
        return Optional.of((today.isAfter(local) ? today.minusDays(1) : today).toInstant());
    }
}
