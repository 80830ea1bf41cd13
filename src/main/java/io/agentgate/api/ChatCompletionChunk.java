package io.agentgate.api;

import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import jakarta.json.bind.annotation.JsonbNillable;
import java.util.List;

/** One {@code chat.completion.chunk} SSE payload. */
public record ChatCompletionChunk(
        String id, String object, long created, String model, List<Choice> choices, Usage usage) {

    public record Choice(int index, Delta delta, @JsonbNillable String finishReason) {}

    /** {@code reasoningContent} carries the gateway's tool steps (see docs/agent.md). */
    public record Delta(String role, String content, String reasoningContent, List<ToolCallDelta> toolCalls) {

        public Delta(String role, String content) {
            this(role, content, null, null);
        }
    }

    /** One call of a client tool in a stream, as OpenAI sends it: by index, id and name first. */
    public record ToolCallDelta(int index, String id, String type, ToolCall.Function function) {}

    public static ChatCompletionChunk of(CompletionId id, Delta delta, String finishReason, Usage usage) {
        return new ChatCompletionChunk(id.id(), "chat.completion.chunk", id.created(), id.model(),
                List.of(new Choice(0, delta, finishReason)), usage);
    }

    /** The last chunk of a stream that asked for usage: no choices, only the turn's usage. */
    public static ChatCompletionChunk usageOnly(CompletionId id, Usage usage) {
        return new ChatCompletionChunk(id.id(), "chat.completion.chunk", id.created(), id.model(), List.of(), usage);
    }
}
