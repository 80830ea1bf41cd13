package io.agentgate.http;

import io.agentgate.api.ApiError;
import io.agentgate.api.JsonP;
import io.agentgate.chat.Message;
import io.agentgate.chat.ToolCall;
import io.agentgate.turn.TurnRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates a chat completion request: the body and the {@code X-Session-Key} header. The
 * size limit is enforced on the raw bytes before any JSON parsing, and every refusal names the
 * offending field in {@code param}.
 */
final class ChatRequestParser {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final long maxBytes;
    private final String defaultModel;
    private final int sessionKeyMaxLength;
    private final RequestParameters parameters;

    ChatRequestParser(long maxBytes, String defaultModel, int sessionKeyMaxLength, Set<String> serverTools) {
        this.maxBytes = maxBytes;
        this.defaultModel = defaultModel;
        this.sessionKeyMaxLength = sessionKeyMaxLength;
        this.parameters = new RequestParameters(serverTools);
    }

    ChatRequestParser(long maxBytes, String defaultModel, int sessionKeyMaxLength) {
        this(maxBytes, defaultModel, sessionKeyMaxLength, Set.of());
    }

    TurnRequest parse(HttpServletRequest request) throws IOException, ApiException {
        TurnRequest body = parse(readBody(request), Optional.empty());
        // The body is judged first: its refusal wins over the header's.
        Optional<String> sessionKey = SessionProtocol.sessionKey(request, sessionKeyMaxLength);
        return new TurnRequest(body.model(), body.messages(), sessionKey, body.streaming(), body.options());
    }

    /** The body of a request with this session key (empty: stateless). */
    TurnRequest parse(String body, Optional<String> sessionKey) throws ApiException {
        JsonObject root = parseObject(body);
        String model = optionalString(root, "model");
        boolean stream = optionalBoolean(root, "stream");
        if (root.containsKey("n") && !root.isNull("n")) {
            if (root.get("n").getValueType() != JsonValue.ValueType.NUMBER
                    || root.getJsonNumber("n").intValue() != 1) {
                throw ApiException.invalid("Only n=1 is supported.", "n");
            }
        }
        List<Message> messages = messages(root);
        return new TurnRequest(model == null || model.isBlank() ? defaultModel : model, messages, sessionKey,
                stream, parameters.read(root, stream));
    }

    private String readBody(HttpServletRequest request) throws IOException, ApiException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, 64 * 1024)));
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) != -1) {
                if (buffer.size() + n > maxBytes) {
                    throw tooLarge();
                }
                buffer.write(chunk, 0, n);
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private ApiException tooLarge() {
        return new ApiException(413, ApiError.of(
                "Request body is larger than the limit of " + maxBytes + " bytes.",
                "invalid_request_error", null, "request_too_large"));
    }

    private static JsonObject parseObject(String body) throws ApiException {
        if (body.isBlank()) {
            throw ApiException.invalid("Request body is empty; expected a JSON object.", null);
        }
        try (JsonReader reader = JsonP.PROVIDER.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw ApiException.invalid("Request body must be a JSON object.", null);
            }
            return value.asJsonObject();
        } catch (JsonParsingException e) {
            throw ApiException.invalid("Request body is not valid JSON: " + e.getMessage(), null);
        } catch (JsonException e) {
            throw ApiException.invalid("Request body is not valid JSON.", null);
        }
    }

    private static List<Message> messages(JsonObject root) throws ApiException {
        if (!root.containsKey("messages") || root.isNull("messages")) {
            throw ApiException.invalid("Missing required parameter: 'messages'.", "messages");
        }
        if (root.get("messages").getValueType() != JsonValue.ValueType.ARRAY) {
            throw ApiException.invalid("'messages' must be an array.", "messages");
        }
        JsonArray array = root.getJsonArray("messages");
        if (array.isEmpty()) {
            throw ApiException.invalid("'messages' must contain at least one message.", "messages");
        }
        List<Message> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(message(array.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static Message message(JsonValue value, String path) throws ApiException {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.invalid("Each message must be an object.", path);
        }
        JsonObject m = value.asJsonObject();
        String role = optionalString(m, "role", path + ".role");
        if (role == null) {
            throw ApiException.invalid("Missing required parameter: '" + path + ".role'.", path + ".role");
        }
        if (!ROLES.contains(role)) {
            throw ApiException.invalid("Invalid value '" + role + "' for role; expected one of "
                    + String.join(", ", new java.util.TreeSet<>(ROLES)) + ".", path + ".role");
        }
        String content = content(m, path + ".content");
        List<ToolCall> toolCalls = "assistant".equals(role) ? toolCalls(m, path + ".tool_calls") : null;
        boolean hasToolCalls = toolCalls != null && !toolCalls.isEmpty();
        if ((content == null || content.isEmpty()) && !hasToolCalls) {
            throw ApiException.invalid("Message content must not be empty.", path + ".content");
        }
        String role2 = "developer".equals(role) ? "system" : role;
        String toolCallId = "tool".equals(role) ? optionalString(m, "tool_call_id", path + ".tool_call_id") : null;
        return new Message(role2, content, hasToolCalls ? toolCalls : null, toolCallId);
    }

    /** A string, or an array of content parts of which the text parts are joined. */
    private static String content(JsonObject m, String path) throws ApiException {
        if (!m.containsKey("content") || m.isNull("content")) {
            return null;
        }
        JsonValue v = m.get("content");
        switch (v.getValueType()) {
            case STRING:
                return ((JsonString) v).getString();
            case ARRAY:
                StringBuilder text = new StringBuilder();
                for (JsonValue part : v.asJsonArray()) {
                    if (part.getValueType() != JsonValue.ValueType.OBJECT) {
                        throw ApiException.invalid("Content parts must be objects.", path);
                    }
                    JsonObject p = part.asJsonObject();
                    if (!"text".equals(p.getString("type", null)) || !(p.get("text") instanceof JsonString s)) {
                        throw ApiException.invalid("Only text content parts are supported.", path);
                    }
                    text.append(s.getString());
                }
                return text.toString();
            default:
                throw ApiException.invalid("'content' must be a string or an array of text parts.", path);
        }
    }

    private static List<ToolCall> toolCalls(JsonObject m, String path) throws ApiException {
        if (!m.containsKey("tool_calls") || m.isNull("tool_calls")) {
            return null;
        }
        if (m.get("tool_calls").getValueType() != JsonValue.ValueType.ARRAY) {
            throw ApiException.invalid("'tool_calls' must be an array.", path);
        }
        List<ToolCall> out = new ArrayList<>();
        for (JsonValue v : m.getJsonArray("tool_calls")) {
            if (v.getValueType() != JsonValue.ValueType.OBJECT
                    || !(v.asJsonObject().get("function") instanceof JsonObject fn)) {
                throw ApiException.invalid("Each tool call needs a 'function' object.", path);
            }
            out.add(ToolCall.complete(v.asJsonObject().getString("id", null),
                    fn.getString("name", null), fn.getString("arguments", "")));
        }
        return out;
    }

    private static String optionalString(JsonObject o, String key) throws ApiException {
        return optionalString(o, key, key);
    }

    private static String optionalString(JsonObject o, String key, String param) throws ApiException {
        if (!o.containsKey(key) || o.isNull(key)) {
            return null;
        }
        if (o.get(key).getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.invalid("'" + param + "' must be a string.", param);
        }
        return o.getString(key);
    }

    private static boolean optionalBoolean(JsonObject o, String key) throws ApiException {
        if (!o.containsKey(key) || o.isNull(key)) {
            return false;
        }
        JsonValue v = o.get(key);
        if (v.getValueType() == JsonValue.ValueType.TRUE) {
            return true;
        }
        if (v.getValueType() == JsonValue.ValueType.FALSE) {
            return false;
        }
        throw ApiException.invalid("'" + key + "' must be a boolean.", key);
    }
}
