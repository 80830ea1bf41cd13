package io.agentgate.http;

import io.agentgate.api.ApiError;
import io.agentgate.api.JsonP;
import io.agentgate.chat.RequestOptions;
import io.agentgate.chat.ToolSpec;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The request parameters beyond the messages, checked the way OpenAI checks them (a wrong type or
 * a value out of range is a 400 naming {@code param}) and collected into {@link RequestOptions}.
 * The sampling and output parameters listed in {@link #FORWARDED} go to the upstream model as the
 * client sent them; function tools are offered to the model beside the server's own; any other
 * member is ignored (the README's "OpenAI compatibility" table lists each one).
 */
final class RequestParameters {

    /** Sent to the upstream on every model call of the turn, unchanged. */
    static final List<String> FORWARDED = List.of("temperature", "top_p", "max_tokens", "max_completion_tokens",
            "stop", "seed", "presence_penalty", "frequency_penalty", "logit_bias", "user", "response_format",
            "reasoning_effort", "parallel_tool_calls");
    private static final Set<String> REASONING_EFFORTS = Set.of("none", "minimal", "low", "medium", "high");
    private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");
    private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_STOP_SEQUENCES = 4;

    private final Set<String> serverTools;

    RequestParameters(Set<String> serverTools) {
        this.serverTools = Set.copyOf(serverTools);
    }

    RequestOptions read(JsonObject root, boolean stream) throws ApiException {
        number(root, "temperature", 0, 2);
        number(root, "top_p", 0, 1);
        positiveInteger(root, "max_tokens");
        positiveInteger(root, "max_completion_tokens");
        stop(root);
        integer(root, "seed");
        number(root, "presence_penalty", -2, 2);
        number(root, "frequency_penalty", -2, 2);
        logitBias(root);
        string(root, "user");
        responseFormat(root);
        if (present(root, "reasoning_effort")) {
            oneOf(string(root, "reasoning_effort"), REASONING_EFFORTS, "reasoning_effort");
        }
        bool(root, "parallel_tool_calls");
        if (present(root, "logprobs") && bool(root, "logprobs")) {
            throw ApiException.invalid("logprobs are not supported by this gateway.", "logprobs");
        }
        List<ToolSpec> tools = tools(root);
        JsonValue toolChoice = toolChoice(root, tools);
        boolean includeUsage = streamOptions(root, stream);
        JsonObjectBuilder forwarded = JsonP.PROVIDER.createObjectBuilder();
        for (String name : FORWARDED) {
            if (present(root, name)) {
                forwarded.add(name, root.get(name));
            }
        }
        return new RequestOptions(forwarded.build(), toolChoice, tools, includeUsage);
    }

    private static boolean present(JsonObject o, String key) {
        return o.containsKey(key) && !o.isNull(key);
    }

    private static void number(JsonObject o, String key, double min, double max) throws ApiException {
        if (!present(o, key)) {
            return;
        }
        if (!(o.get(key) instanceof JsonNumber n)) {
            throw invalidType(key, "a decimal", o.get(key));
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw invalidValue(key, "Expected a value between " + fmt(min) + " and " + fmt(max) + ", but got " + n
                    + " instead.");
        }
    }

    private static void integer(JsonObject o, String key) throws ApiException {
        if (present(o, key) && !(o.get(key) instanceof JsonNumber n && n.isIntegral())) {
            throw invalidType(key, "an integer", o.get(key));
        }
    }

    private static void positiveInteger(JsonObject o, String key) throws ApiException {
        integer(o, key);
        if (present(o, key) && o.getJsonNumber(key).bigIntegerValue().signum() <= 0) {
            throw invalidValue(key, "Expected a value >= 1, but got " + o.get(key) + " instead.");
        }
    }

    private static String string(JsonObject o, String key) throws ApiException {
        if (!present(o, key)) {
            return null;
        }
        if (!(o.get(key) instanceof JsonString s)) {
            throw invalidType(key, "a string", o.get(key));
        }
        return s.getString();
    }

    private static boolean bool(JsonObject o, String key) throws ApiException {
        if (!present(o, key)) {
            return false;
        }
        JsonValue v = o.get(key);
        if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
            throw invalidType(key, "a boolean", v);
        }
        return v == JsonValue.TRUE;
    }

    private static void oneOf(String value, Set<String> allowed, String param) throws ApiException {
        if (!allowed.contains(value)) {
            throw invalidValue(param, "Supported values are: " + String.join(", ", new java.util.TreeSet<>(allowed))
                    + ", but got '" + value + "'.");
        }
    }

    private static void stop(JsonObject o) throws ApiException {
        if (!present(o, "stop") || o.get("stop") instanceof JsonString) {
            return;
        }
        if (!(o.get("stop") instanceof JsonArray array)) {
            throw invalidType("stop", "a string or an array of strings", o.get("stop"));
        }
        if (array.size() > MAX_STOP_SEQUENCES) {
            throw invalidValue("stop", "At most " + MAX_STOP_SEQUENCES + " stop sequences are allowed.");
        }
        for (JsonValue v : array) {
            if (!(v instanceof JsonString)) {
                throw invalidType("stop", "a string or an array of strings", v);
            }
        }
    }

    private static void logitBias(JsonObject o) throws ApiException {
        if (!present(o, "logit_bias")) {
            return;
        }
        if (!(o.get("logit_bias") instanceof JsonObject bias)) {
            throw invalidType("logit_bias", "an object", o.get("logit_bias"));
        }
        for (var entry : bias.entrySet()) {
            if (!(entry.getValue() instanceof JsonNumber n) || n.doubleValue() < -100 || n.doubleValue() > 100) {
                throw invalidValue("logit_bias", "Each bias must be a number between -100 and 100 (token "
                        + entry.getKey() + ").");
            }
        }
    }

    private static void responseFormat(JsonObject o) throws ApiException {
        if (!present(o, "response_format")) {
            return;
        }
        if (!(o.get("response_format") instanceof JsonObject format)) {
            throw invalidType("response_format", "an object", o.get("response_format"));
        }
        if (!(format.get("type") instanceof JsonString type)) {
            throw invalidType("response_format.type", "a string", format.get("type"));
        }
        oneOf(type.getString(), RESPONSE_FORMATS, "response_format.type");
        if (type.getString().equals("json_schema") && !(format.get("json_schema") instanceof JsonObject)) {
            throw ApiException.invalid("Missing required parameter: 'response_format.json_schema'.",
                    "response_format.json_schema");
        }
    }

    /** The client's function tools; a name the server's tools already use is refused. */
    private List<ToolSpec> tools(JsonObject o) throws ApiException {
        if (!present(o, "tools")) {
            return List.of();
        }
        if (!(o.get("tools") instanceof JsonArray array)) {
            throw invalidType("tools", "an array", o.get("tools"));
        }
        List<ToolSpec> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String path = "tools[" + i + "]";
            if (!(array.get(i) instanceof JsonObject tool)) {
                throw invalidType(path, "an object", array.get(i));
            }
            if (!"function".equals(tool.getString("type", null))) {
                throw invalidValue(path + ".type", "Only function tools are supported.");
            }
            if (!(tool.get("function") instanceof JsonObject function)) {
                throw ApiException.invalid("Missing required parameter: '" + path + ".function'.", path + ".function");
            }
            String name = string(function, "name");
            if (name == null || !TOOL_NAME.matcher(name).matches()) {
                throw invalidValue(path + ".function.name",
                        "A tool name must be 1 to 64 letters, digits, underscores or dashes.");
            }
            if (serverTools.contains(name)) {
                throw invalidValue(path + ".function.name", "The gateway has its own tool named '" + name
                        + "'; give the client tool another name.");
            }
            if (!names.add(name)) {
                throw invalidValue(path + ".function.name", "Two tools are named '" + name + "'.");
            }
            String description = string(function, "description");
            JsonValue parameters = function.get("parameters");
            if (parameters != null && parameters != JsonValue.NULL && !(parameters instanceof JsonObject)) {
                throw invalidType(path + ".function.parameters", "an object", parameters);
            }
            tools.add(new ToolSpec(name, description, parameters instanceof JsonObject p ? p
                    : JsonP.PROVIDER.createObjectBuilder().add("type", "object")
                    .add("properties", JsonValue.EMPTY_JSON_OBJECT).build()));
        }
        return tools;
    }

    private JsonValue toolChoice(JsonObject o, List<ToolSpec> clientTools) throws ApiException {
        if (!present(o, "tool_choice")) {
            return null;
        }
        JsonValue choice = o.get("tool_choice");
        if (choice instanceof JsonString s) {
            oneOf(s.getString(), TOOL_CHOICES, "tool_choice");
            return choice;
        }
        if (!(choice instanceof JsonObject named) || !"function".equals(named.getString("type", null))
                || !(named.get("function") instanceof JsonObject function)
                || !(function.get("name") instanceof JsonString name)) {
            throw invalidType("tool_choice", "'none', 'auto', 'required' or {\"type\":\"function\",\"function\":"
                    + "{\"name\":...}}", choice);
        }
        boolean known = serverTools.contains(name.getString())
                || clientTools.stream().anyMatch(t -> t.name().equals(name.getString()));
        if (!known) {
            throw invalidValue("tool_choice", "No tool named '" + name.getString() + "' is offered.");
        }
        return choice;
    }

    private static boolean streamOptions(JsonObject o, boolean stream) throws ApiException {
        if (!present(o, "stream_options")) {
            return false;
        }
        if (!stream) {
            throw invalidValue("stream_options", "stream_options is only allowed when 'stream' is true.");
        }
        if (!(o.get("stream_options") instanceof JsonObject options)) {
            throw invalidType("stream_options", "an object", o.get("stream_options"));
        }
        if (!present(options, "include_usage")) {
            return false;
        }
        JsonValue v = options.get("include_usage");
        if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
            throw invalidType("stream_options.include_usage", "a boolean", v);
        }
        return v == JsonValue.TRUE;
    }

    private static ApiException invalidType(String param, String expected, JsonValue got) {
        return new ApiException(400, ApiError.of("Invalid type for '" + param + "': expected " + expected
                + ", but got " + typeName(got) + " instead.", "invalid_request_error", param, "invalid_type"));
    }

    private static ApiException invalidValue(String param, String detail) {
        return new ApiException(400, ApiError.of("Invalid '" + param + "': " + detail, "invalid_request_error",
                param, "invalid_value"));
    }

    private static String typeName(JsonValue v) {
        if (v == null) {
            return "nothing";
        }
        return switch (v.getValueType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
