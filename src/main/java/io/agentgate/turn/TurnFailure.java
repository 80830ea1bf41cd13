package io.agentgate.turn;

import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;

/**
 * A turn that did not answer, typed so the HTTP layer's error mapper can say it the OpenAI way.
 * The first three refuse the request before anything ran.
 */
public sealed interface TurnFailure extends TurnOutcome {

    /** Another turn of the session key runs (here or on another instance). */
    record SessionBusy(String sessionKey) implements TurnFailure {}

    /** A session request whose messages do not end with new user input. */
    record MissingNewInput() implements TurnFailure {}

    /** The session could not be read or leased (the database failed). */
    record SessionUnavailable() implements TurnFailure {}

    /**
     * The model, the agent or the session store failed; {@code message} is safe to show. An upstream
     * that answered with an error status left it in {@code upstreamStatus} (else 0) with its
     * {@code Retry-After} (or null).
     */
    record Failed(FailureKind kind, String message, int upstreamStatus, String retryAfter) implements TurnFailure {

        public Failed(FailureKind kind, String message) {
            this(kind, message, 0, null);
        }

        /** The failure as the client is told, its message as given (redacted by the caller). */
        static Failed of(ChatFailure failure, String message) {
            return new Failed(failure.kind(), message, failure.upstreamStatus(), failure.retryAfter().orElse(null));
        }
    }

    /** The turn was cancelled; whether anyone is told depends on why. */
    record Cancelled(Cancellation.Reason reason) implements TurnFailure {}
}
