package io.agentgate.api;

import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import jakarta.json.bind.annotation.JsonbNillable;
import java.util.List;

/** One {@code chat.completion.chunk} SSE payload. */
public record ChatCompletionChunk(
        String id, String object, long created, String model, List<Choice> choices, Usage usage) {

    public record Choice(int index, Delta delta, @JsonbNillable String finishReason) {}

    public record Delta(String role, String content, List<ToolCall> toolCalls) {}

    public static ChatCompletionChunk of(CompletionId id, Delta delta, String finishReason, Usage usage) {
        return new ChatCompletionChunk(id.id(), "chat.completion.chunk", id.created(), id.model(),
                List.of(new Choice(0, delta, finishReason)), usage);
    }
}
