package io.agentgate.agent;

import java.util.List;

/** What one user turn asks of the agent: the whole conversation so far, and the model to use. */
public record AgentRequest(String model, List<Message> messages) {

    public AgentRequest {
        messages = List.copyOf(messages);
    }
}
