package io.agentgate.llm;

import io.agentgate.chat.Message;
import io.agentgate.chat.ToolSpec;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * One request to a model: the conversation to continue, the tools it may call, and the client's
 * validated request parameters (sampling, output, {@code tool_choice}...) sent as they are. {@code
 * model} is the id the client asked for; an upstream client sends its own configured model id instead.
 */
public record ModelCall(String model, List<Message> messages, List<ToolSpec> tools, JsonObject parameters) {

    public ModelCall {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        parameters = parameters == null ? JsonValue.EMPTY_JSON_OBJECT : parameters;
    }

    public ModelCall(String model, List<Message> messages, List<ToolSpec> tools) {
        this(model, messages, tools, JsonValue.EMPTY_JSON_OBJECT);
    }

    public ModelCall(String model, List<Message> messages) {
        this(model, messages, List.of());
    }
}
