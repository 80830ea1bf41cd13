package io.agentgate.model;

import io.agentgate.api.ToolCall;
import io.agentgate.api.Usage;
import java.util.List;

/**
 * What one model call produced, assembled from its stream. {@code reasoning} is the separate
 * reasoning channel some servers stream ({@code reasoning_content} / {@code reasoning}); it is
 * never shown to the client. {@code finishReason} is exactly what the model reported.
 */
public record ModelReply(String content, String reasoning, List<ToolCall> toolCalls, String finishReason,
                         Usage usage) {

    public ModelReply {
        content = content == null ? "" : content;
        reasoning = reasoning == null ? "" : reasoning;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.ZERO : usage;
    }

    public ModelReply(String content, List<ToolCall> toolCalls, String finishReason, Usage usage) {
        this(content, "", toolCalls, finishReason, usage);
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
