package io.agentgate.session;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One session key's row as read ({@code leaseExpired}: a lease is left that its run will never end) (with the database clock's {@code now}, so every time comparison
 * uses one clock even with several gateway instances). {@code messageCount} is the transcript's
 * length when read for a view; a claim reads only whether there is one (0 or 1), which is all
 * {@link #hasActivity()} needs, instead of counting the transcript on every turn.
 */
public record SessionState(
        String sessionKey,
        UUID sessionId,
        boolean suspended,
        boolean memoryFlushed,
        boolean running,
        boolean leaseExpired,
        Instant createdAt,
        Instant updatedAt,
        Optional<ResetReason> lastResetReason,
        int messageCount,
        long promptTokens,
        long completionTokens,
        Instant now) {

    /** The row after taking over an expired lease: suspended, since the turn that held it was lost. */
    SessionState takenOver() {
        return new SessionState(sessionKey, sessionId, true, memoryFlushed, false, false, createdAt, updatedAt,
                lastResetReason, messageCount, promptTokens, completionTokens, now);
    }

    /** The current session has a transcript worth condensing before it is replaced. */
    public boolean hasActivity() {
        return messageCount > 0;
    }
}
