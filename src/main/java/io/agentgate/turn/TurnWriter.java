package io.agentgate.turn;

import io.agentgate.chat.ContentSink;
import java.io.IOException;

/**
 * The response of one turn, as the HTTP layer chose it (SSE or one JSON body). {@link TurnRunner}
 * calls {@link #open} once, after the session began and the run was recorded and before the agent
 * runs; the writer decides what that commits. Everything after the agent (the finish, an error
 * frame or status) is written by the caller from the {@link TurnOutcome}.
 */
public interface TurnWriter {

    /**
     * Prepares the response for the agent's answer and returns where its visible text goes.
     *
     * @throws IOException when the client is already gone
     */
    ContentSink open(TurnOpening opening) throws IOException;
}
