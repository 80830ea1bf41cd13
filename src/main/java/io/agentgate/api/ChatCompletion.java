package io.agentgate.api;

import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import jakarta.json.bind.annotation.JsonbNillable;
import java.util.List;

/** A whole non-streaming {@code chat.completion} response. */
public record ChatCompletion(
        String id, String object, long created, String model, List<Choice> choices, Usage usage) {

    public record Choice(int index, Message message, @JsonbNillable String finishReason,
                         @JsonbNillable Object logprobs) {}

    /** {@code reasoningContent}: the gateway's tool steps, one line each (left out when there are none). */
    public record Message(String role, @JsonbNillable String content, String reasoningContent,
                          List<ToolCall> toolCalls) {}

    public static ChatCompletion of(CompletionId id, Message message, String finishReason, Usage usage) {
        return new ChatCompletion(id.id(), "chat.completion", id.created(), id.model(),
                List.of(new Choice(0, message, finishReason, null)), usage);
    }
}
