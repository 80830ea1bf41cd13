package io.agentgate.agent;

import io.agentgate.api.ToolCall;
import java.util.List;

/**
 * Receives what the agent produces while it runs. Implementations write to the client (SSE) or
 * collect for a non-streaming response; they are called from the agent's thread only.
 */
public interface AgentListener {

    /** A piece of visible assistant text, in order. */
    void onContent(String delta);

    /**
     * The assistant decided to call tools; called before the tools run. For bookkeeping (storage,
     * metrics): what the client sees of it is the progress text that arrives through
     * {@link #onContent}.
     */
    default void onToolCalls(List<ToolCall> calls) {}

    AgentListener NONE = delta -> {};
}
