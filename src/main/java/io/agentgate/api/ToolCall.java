package io.agentgate.api;

/**
 * One tool call in OpenAI form. In stream deltas {@code index} is set and the other fields may be
 * partial; in complete messages {@code index} is null.
 */
public record ToolCall(Integer index, String id, String type, Function function) {

    public record Function(String name, String arguments) {}

    public static ToolCall complete(String id, String name, String arguments) {
        return new ToolCall(null, id, "function", new Function(name, arguments));
    }

    public ToolCall withIndex(int i) {
        return new ToolCall(i, id, type, function);
    }
}
