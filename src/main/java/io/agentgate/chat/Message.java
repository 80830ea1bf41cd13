package io.agentgate.chat;

import io.agentgate.chat.ToolCall;
import java.util.List;

/** One conversation message as the agent and the model client see it. */
public record Message(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public static Message system(String content) {
        return new Message("system", content, null, null);
    }

    public static Message user(String content) {
        return new Message("user", content, null, null);
    }

    public static Message assistant(String content, List<ToolCall> toolCalls) {
        return new Message("assistant", content, toolCalls == null || toolCalls.isEmpty() ? null : toolCalls, null);
    }

    public static Message tool(String toolCallId, String content) {
        return new Message("tool", content, null, toolCallId);
    }
}
