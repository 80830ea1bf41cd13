package io.agentgate.chat;

import jakarta.json.JsonObject;

/**
 * A tool as the model is told about it: OpenAI's {@code {"type":"function","function":{...}}}
 * entry. {@code parameters} is the tool's JSON Schema for its arguments object.
 */
public record ToolSpec(String name, String description, JsonObject parameters) {}
