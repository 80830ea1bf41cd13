package io.agentgate.session;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One session key's row as read (with the database clock's {@code now}, so every time comparison
 * uses one clock even with several gateway instances).
 */
public record SessionState(
        String sessionKey,
        UUID sessionId,
        boolean suspended,
        boolean memoryFlushed,
        boolean running,
        Instant createdAt,
        Instant updatedAt,
        Optional<ResetReason> lastResetReason,
        int messageCount,
        long promptTokens,
        long completionTokens,
        Instant now) {

    /** The current session has a transcript worth condensing before it is replaced. */
    public boolean hasActivity() {
        return messageCount > 0;
    }
}
