package io.agentgate.agent;

import io.agentgate.model.ModelCall;
import io.agentgate.model.ModelClient;
import io.agentgate.model.ModelReply;

/**
 * The agent loop: takes a conversation, calls the model and returns the turn's result. Runs on the
 * agent executor; an interrupt (client gone) ends it with {@link InterruptedException}.
 */
public final class Agent {

    private final ModelClient model;

    public Agent(ModelClient model) {
        this.model = model;
    }

    public AgentResult run(AgentRequest request, AgentListener listener) throws InterruptedException {
        ModelReply reply = model.complete(new ModelCall(request.model(), request.messages()), listener);
        return new AgentResult(reply.content(), reply.finishReason(), reply.usage());
    }
}
