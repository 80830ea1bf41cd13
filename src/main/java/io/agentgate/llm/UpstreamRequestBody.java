package io.agentgate.llm;

import io.agentgate.chat.Message;
import io.agentgate.chat.ToolSpec;
import io.agentgate.chat.ToolCall;
import io.agentgate.api.JsonP;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/** The JSON body of one streaming {@code POST /chat/completions} to the upstream. */
final class UpstreamRequestBody {

    private UpstreamRequestBody() {}

    static String of(String model, ModelCall call) {
        // The client's parameters first: what the gateway itself decides (model, messages, stream,
        // tools) is added after them and wins.
        JsonObjectBuilder root = JsonP.PROVIDER.createObjectBuilder(call.parameters())
                .add("model", model)
                .add("messages", messages(call.messages()))
                .add("stream", true)
                // Usage arrives in one last chunk only when asked for.
                .add("stream_options", JsonP.PROVIDER.createObjectBuilder().add("include_usage", true));
        if (!call.tools().isEmpty()) {
            root.add("tools", tools(call.tools()));
        }
        return root.build().toString();
    }

    private static JsonArrayBuilder messages(List<Message> messages) {
        JsonArrayBuilder array = JsonP.PROVIDER.createArrayBuilder();
        for (Message m : messages) {
            JsonObjectBuilder o = JsonP.PROVIDER.createObjectBuilder().add("role", m.role());
            if (m.content() != null) {
                o.add("content", m.content());
            } else {
                o.addNull("content");
            }
            if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
                o.add("tool_calls", toolCalls(m.toolCalls()));
            }
            if (m.toolCallId() != null) {
                o.add("tool_call_id", m.toolCallId());
            }
            array.add(o);
        }
        return array;
    }

    private static JsonArrayBuilder toolCalls(List<ToolCall> calls) {
        JsonArrayBuilder array = JsonP.PROVIDER.createArrayBuilder();
        for (ToolCall call : calls) {
            array.add(JsonP.PROVIDER.createObjectBuilder()
                    .add("id", call.id() == null ? "" : call.id())
                    .add("type", "function")
                    .add("function", JsonP.PROVIDER.createObjectBuilder()
                            .add("name", call.function().name() == null ? "" : call.function().name())
                            .add("arguments", call.function().arguments() == null ? "" : call.function().arguments())));
        }
        return array;
    }

    private static JsonArrayBuilder tools(List<ToolSpec> tools) {
        JsonArrayBuilder array = JsonP.PROVIDER.createArrayBuilder();
        for (ToolSpec tool : tools) {
            array.add(JsonP.PROVIDER.createObjectBuilder()
                    .add("type", "function")
                    .add("function", JsonP.PROVIDER.createObjectBuilder()
                            .add("name", tool.name())
                            .add("description", tool.description() == null ? "" : tool.description())
                            .add("parameters", tool.parameters())));
        }
        return array;
    }
}
