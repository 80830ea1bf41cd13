package io.agentgate.model;

import io.agentgate.api.ToolCall;
import io.agentgate.api.Usage;
import java.util.List;

/** What one model call produced, assembled from its stream. */
public record ModelReply(String content, List<ToolCall> toolCalls, String finishReason, Usage usage) {

    public ModelReply {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
