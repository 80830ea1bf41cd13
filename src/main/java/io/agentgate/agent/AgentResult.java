package io.agentgate.agent;

import io.agentgate.chat.Message;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import java.util.List;

/**
 * A finished turn. {@code finishReason} is the real one ({@code stop}, {@code length},
 * {@code content_filter}; a turn that ended short, with a notice, says {@code length}; one that ends
 * with calls of the client's own tools says {@code tool_calls}, and {@code clientToolCalls} holds
 * them). {@code content} is the whole visible text the client was sent, notices included (and tool
 * progress when it goes to content), so streaming and non-streaming clients read the same answer;
 * {@code steps} is the tool progress shown apart from it, one line each. {@code messages} is what the
 * turn added to the conversation (assistant messages with their real tool calls, tool results, the
 * last answer), never progress text: what a session stores.
 */
public record AgentResult(String content, String finishReason, Usage usage, List<ToolCall> clientToolCalls,
                          List<Message> messages, String steps) {

    public AgentResult {
        clientToolCalls = List.copyOf(clientToolCalls);
        messages = List.copyOf(messages);
    }
}
