package io.agentgate.llm;

import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import java.util.List;

/**
 * What one model call produced, assembled from its stream. {@code finishReason} is exactly what the
 * model reported. A separate reasoning channel some servers stream is never shown and not kept.
 */
public record ModelReply(String content, List<ToolCall> toolCalls, String finishReason, Usage usage) {

    public ModelReply {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.ZERO : usage;
    }

    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
