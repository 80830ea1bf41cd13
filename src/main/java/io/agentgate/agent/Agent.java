package io.agentgate.agent;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.Message;
import io.agentgate.chat.RequestOptions;
import io.agentgate.chat.ToolProgress;
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
    private final ToolProgress progress;

    public Agent(ModelClient model, ToolRegistry tools, int maxIterations) {
        this(model, tools, maxIterations, ToolProgress.REASONING_CONTENT);
    }

    public Agent(ModelClient model, ToolRegistry tools, int maxIterations, ToolProgress progress) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1");
        }
        this.model = model;
        this.tools = tools;
        this.runner = new ToolRunner(tools);
        this.maxIterations = maxIterations;
        this.progress = progress;
    }

    /** The names of the server's own tools (a client tool may not take one). */
    public java.util.Set<String> toolNames() {
        return tools.specs().stream().map(io.agentgate.chat.ToolSpec::name)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Runs one user turn over {@code conversation} (instructions, history, new input) with the model
     * the client asked for; visible text goes to {@code sink} as it is produced.
     *
     * @throws io.agentgate.chat.ChatFailure when the turn leaves no usable answer
     */
    public AgentResult run(String modelId, List<Message> conversation, ContentSink sink) throws InterruptedException {
        return run(modelId, conversation, RequestOptions.NONE, sink);
    }

    /** The same, with the client's parameters and tools ({@link RequestOptions}). */
    public AgentResult run(String modelId, List<Message> conversation, RequestOptions options, ContentSink sink)
            throws InterruptedException {
        return new AgentLoop(model, tools.specs(), runner, maxIterations, modelId, conversation, options, progress,
                sink).run();
    }
}
