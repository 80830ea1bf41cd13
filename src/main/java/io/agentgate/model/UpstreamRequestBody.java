package io.agentgate.model;

import io.agentgate.agent.Message;
import io.agentgate.api.ToolCall;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/** The JSON body of one streaming {@code POST /chat/completions} to the upstream. */
final class UpstreamRequestBody {

    private UpstreamRequestBody() {}

    static String of(String model, ModelCall call) {
        JsonObjectBuilder root = Json.createObjectBuilder()
                .add("model", model)
                .add("messages", messages(call.messages()))
                .add("stream", true)
                // Usage arrives in one last chunk only when asked for.
                .add("stream_options", Json.createObjectBuilder().add("include_usage", true));
        if (!call.tools().isEmpty()) {
            root.add("tools", tools(call.tools()));
        }
        return root.build().toString();
    }

    private static JsonArrayBuilder messages(List<Message> messages) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Message m : messages) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("role", m.role());
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
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (ToolCall call : calls) {
            array.add(Json.createObjectBuilder()
                    .add("id", call.id() == null ? "" : call.id())
                    .add("type", "function")
                    .add("function", Json.createObjectBuilder()
                            .add("name", call.function().name() == null ? "" : call.function().name())
                            .add("arguments", call.function().arguments() == null ? "" : call.function().arguments())));
        }
        return array;
    }

    private static JsonArrayBuilder tools(List<ToolSpec> tools) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (ToolSpec tool : tools) {
            array.add(Json.createObjectBuilder()
                    .add("type", "function")
                    .add("function", Json.createObjectBuilder()
                            .add("name", tool.name())
                            .add("description", tool.description())
                            .add("parameters", tool.parameters())));
        }
        return array;
    }
}
