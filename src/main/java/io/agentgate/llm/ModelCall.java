package io.agentgate.llm;

import io.agentgate.chat.Message;
import io.agentgate.chat.ToolSpec;
import java.util.List;

/**
 * One request to a model: the conversation to continue and the tools it may call. {@code model} is
 * the id the client asked for; an upstream client sends its own configured model id instead.
 */
public record ModelCall(String model, List<Message> messages, List<ToolSpec> tools) {

    public ModelCall {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ModelCall(String model, List<Message> messages) {
        this(model, messages, List.of());
    }
}
