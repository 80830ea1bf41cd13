package io.agentgate.chat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * What a chat request asks of the model beyond its messages, validated: the sampling and output
 * parameters forwarded to every model call of the turn as the client sent them, the client's own
 * function tools, its {@code tool_choice} (forwarded on the turn's first model call only: a forced
 * tool call on every call would never let the agent finish) and whether a stream reports usage.
 */
public record RequestOptions(JsonObject parameters, JsonValue toolChoice, List<ToolSpec> clientTools,
                             boolean includeUsage) {

    public static final RequestOptions NONE = new RequestOptions(JsonValue.EMPTY_JSON_OBJECT, null, List.of(), false);

    public RequestOptions {
        parameters = parameters == null ? JsonValue.EMPTY_JSON_OBJECT : parameters;
        clientTools = clientTools == null ? List.of() : List.copyOf(clientTools);
    }
}
