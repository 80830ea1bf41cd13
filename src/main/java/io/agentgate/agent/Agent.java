package io.agentgate.agent;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.Message;
import io.agentgate.llm.ModelClient;
import io.agentgate.tools.ToolRegistry;
import java.util.List;

/**
 * The agent loop; the entry point of this package: takes a conversation, calls the model, runs the
 * tools it asks for, feeds the results back, and repeats until the model answers or a limit is
 * reached (see {@link AgentLoop} for the rules). An interrupt (the turn was cancelled) ends it with
 * {@link InterruptedException}, which also aborts the model call or tool in flight.
 */
public final class Agent {

    private final ModelClient model;
    private final ToolRegistry tools;
    private final ToolRunner runner;
    private final int maxIterations;

    public Agent(ModelClient model, ToolRegistry tools, int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1");
        }
        this.model = model;
        this.tools = tools;
        this.runner = new ToolRunner(tools);
        this.maxIterations = maxIterations;
    }

    /**
     * Runs one user turn over {@code conversation} (instructions, history, new input) with the model
     * the client asked for; visible text goes to {@code sink} as it is produced.
     *
     * @throws io.agentgate.chat.ChatFailure when the turn leaves no usable answer
     */
    public AgentResult run(String modelId, List<Message> conversation, ContentSink sink) throws InterruptedException {
        return new AgentLoop(model, tools.specs(), runner, maxIterations, modelId, conversation, sink).run();
    }
}
