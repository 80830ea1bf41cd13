package io.agentgate.turn;

import io.agentgate.session.ResetReason;
import java.util.Optional;
import java.util.UUID;

/**
 * What the response needs to know when the agent is about to run: the session it runs in (empty
 * for a stateless request), for the session headers and the reset notice.
 */
public record TurnOpening(Optional<Session> session) {

    /**
     * @param performedReset the automatic reset this request performed (header {@code X-Session-Reset})
     * @param announcedReset the reset the client is told about before the answer
     */
    public record Session(String key, UUID sessionId, Optional<ResetReason> performedReset,
                          Optional<ResetReason> announcedReset) {}
}
