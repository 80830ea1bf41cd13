package io.agentgate.agent;

import io.agentgate.api.ToolCall;
import java.util.List;

/**
 * Receives what the agent produces while it runs. Implementations write to the client (SSE) or
 * collect for a non-streaming response; they are called from the agent's thread only.
 */
public interface AgentListener {

    /** A piece of visible assistant text, in order; the client should see it now. */
    void onContent(String delta);

    /**
     * A piece of visible text from a producer that can tell whether its next piece is already at
     * hand. With {@code more} true a listener may hold the text back (to write several pieces with
     * one flush) until a call with {@code more} false, which such a producer always makes before it
     * waits for anything (an empty delta is allowed for that). Relaying a fast upstream, this turns
     * one network flush per token into one per burst, without delaying anything.
     */
    default void onContent(String delta, boolean more) {
        onContent(delta);
    }

    /**
     * The assistant decided to call tools; called before the tools run. For bookkeeping (storage,
     * metrics): what the client sees of it is the progress text that arrives through
     * {@link #onContent}.
     */
    default void onToolCalls(List<ToolCall> calls) {}

    AgentListener NONE = delta -> {};
}
