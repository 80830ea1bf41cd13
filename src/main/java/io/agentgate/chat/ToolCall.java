package io.agentgate.chat;

/** One complete tool call in OpenAI form, as the assistant message of a conversation carries it. */
public record ToolCall(String id, String type, Function function) {

    public record Function(String name, String arguments) {}

    public static ToolCall complete(String id, String name, String arguments) {
        return new ToolCall(id, "function", new Function(name, arguments));
    }
}
