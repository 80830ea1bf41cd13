package io.agentgate.turn;

import io.agentgate.chat.Cancellation;
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

    /** The model, the agent or the session store failed; {@code message} is safe to show. */
    record Failed(FailureKind kind, String message) implements TurnFailure {}

    /** The turn was cancelled; whether anyone is told depends on why. */
    record Cancelled(Cancellation.Reason reason) implements TurnFailure {}
}
