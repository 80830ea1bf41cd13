package io.agentgate.http;

import io.agentgate.api.ApiError;
import io.agentgate.api.JsonP;
import io.agentgate.chat.Message;
import io.agentgate.chat.ToolCall;
import io.agentgate.turn.TurnRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatRequestParser.class);
    /** Deeper than any real chat request (content parts, tool calls: about 6 levels). */
    static final int MAX_NESTING = 64;
    private static final JsonParserFactory PARSERS =
            JsonP.PROVIDER.createParserFactory(java.util.Map.of("org.eclipse.parsson.maxDepth", MAX_NESTING));
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final String defaultModel;
    private final int sessionKeyMaxLength;
    private final RequestParameters parameters;

    ChatRequestParser(String defaultModel, int sessionKeyMaxLength, Set<String> serverTools) {
        this.defaultModel = defaultModel;
        this.sessionKeyMaxLength = sessionKeyMaxLength;
        this.parameters = new RequestParameters(serverTools);
    }

    ChatRequestParser(String defaultModel, int sessionKeyMaxLength) {
        this(defaultModel, sessionKeyMaxLength, Set.of());
    }

    /** A request whose body has been read whole (see {@link BodyReader}). */
    TurnRequest parse(byte[] body, HttpServletRequest request) throws ApiException {
        TurnRequest parsed = parse(decode(body), Optional.empty());
        // The body is judged first: its refusal wins over the header's.
        Optional<String> sessionKey = SessionProtocol.sessionKey(request, sessionKeyMaxLength);
        return new TurnRequest(parsed.model(), parsed.messages(), sessionKey, parsed.streaming(), parsed.options());
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

    /** Strict UTF-8: a byte sequence that is not UTF-8 is refused, never turned into U+FFFD and forwarded. */
    static String decode(byte[] body) throws ApiException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid("Request body is not valid UTF-8.", null);
        }
    }

    /**
     * Exactly one JSON object, nested at most {@link #MAX_NESTING} levels, and nothing after it but
     * whitespace. Parsson's own depth limit throws a bare RuntimeException (a 500 and a
     * 1,000-frame stack trace at its default of 1,000 levels), hence the limit set here and caught.
     */
    private static JsonObject parseObject(String body) throws ApiException {
        if (body.isBlank()) {
            throw ApiException.invalid("Request body is empty; expected a JSON object.", null);
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(body))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw ApiException.invalid("Request body must be a JSON object.", null);
            }
            JsonObject root = parser.getObject();
            if (hasMore(parser)) {
                throw trailingContent();
            }
            return root;
        } catch (JsonParsingException e) {
            // Thrown inside the object: the body ends early ("Invalid token=EOF") or is not JSON there.
            if (e.getMessage() != null && e.getMessage().contains("token=EOF")) {
                throw ApiException.invalid("Request body is not valid JSON: it ends before its object does.", null);
            }
            throw ApiException.invalid("Request body is not valid JSON: " + e.getMessage(), null);
        } catch (JsonException | java.util.NoSuchElementException | IllegalStateException e) {
            throw ApiException.invalid("Request body is not valid JSON.", null);
        } catch (RuntimeException tooDeep) {
            log.info("Refused a request body nested more than {} levels deep", MAX_NESTING);
            throw ApiException.invalid("Request body is nested more than " + MAX_NESTING + " levels deep.", null);
        }
    }

    /**
     * Whether anything but whitespace follows the object: Parsson answers {@code true} for a second
     * value and throws for anything that is not one ("Expected EOF token", an unexpected character).
     */
    private static boolean hasMore(JsonParser parser) {
        try {
            return parser.hasNext();
        } catch (JsonParsingException notJson) {
            return true;
        }
    }

    private static ApiException trailingContent() {
        return ApiException.invalid("Request body has content after the JSON object.", null);
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
        String content = storable(content(m, path + ".content"), path + ".content");
        List<ToolCall> toolCalls = "assistant".equals(role) ? toolCalls(m, path + ".tool_calls") : null;
        boolean hasToolCalls = toolCalls != null && !toolCalls.isEmpty();
        // A tool's result may be empty (a function that returned nothing); nothing else may.
        boolean emptyAllowed = hasToolCalls || ("tool".equals(role) && content != null);
        if ((content == null || content.isEmpty()) && !emptyAllowed) {
            throw ApiException.invalid("Message content must not be empty.", path + ".content");
        }
        String role2 = "developer".equals(role) ? "system" : role;
        String toolCallId = storable("tool".equals(role) ? optionalString(m, "tool_call_id", path + ".tool_call_id")
                : null, path + ".tool_call_id");
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
            out.add(ToolCall.complete(storable(v.asJsonObject().getString("id", null), path),
                    storable(fn.getString("name", null), path), storable(fn.getString("arguments", ""), path)));
        }
        return out;
    }

    /**
     * PostgreSQL text cannot hold U+0000: refused here, before any upstream call, instead of failing
     * when the turn is stored after the model already answered.
     */
    private static String storable(String text, String param) throws ApiException {
        if (text != null && text.indexOf('\u0000') >= 0) {
            throw ApiException.invalid("'" + param + "' contains a NUL character (U+0000), which cannot be stored.",
                    param);
        }
        return text;
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
