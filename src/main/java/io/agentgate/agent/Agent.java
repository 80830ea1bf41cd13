package io.agentgate.agent;

import io.agentgate.model.ModelClient;
import io.agentgate.tools.ToolRegistry;

/**
 * The agent loop: takes a conversation, calls the model, runs the tools it asks for, feeds the
 * results back, and repeats until the model answers or a limit is reached (see {@link Turn} for the
 * rules). Runs on the agent executor; an interrupt (client gone, stop) ends it with
 * {@link InterruptedException}, which also aborts the model call in flight.
 */
public final class Agent {

    public static final int DEFAULT_MAX_ITERATIONS = 20;

    private final ModelClient model;
    private final ToolRegistry tools;
    private final ToolRunner runner;
    private final int maxIterations;

    public Agent(ModelClient model) {
        this(model, ToolRegistry.EMPTY, DEFAULT_MAX_ITERATIONS);
    }

    public Agent(ModelClient model, ToolRegistry tools, int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1");
        }
        this.model = model;
        this.tools = tools;
        this.runner = new ToolRunner(tools);
        this.maxIterations = maxIterations;
    }

    public AgentResult run(AgentRequest request, AgentListener listener) throws InterruptedException {
        return new Turn(model, tools.specs(), runner, maxIterations, request, listener).run();
    }
}
