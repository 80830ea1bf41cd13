package io.agentgate.agent;

import io.agentgate.chat.ToolCall;
import io.agentgate.api.JsonP;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arguments of one model response's tool calls, parsed with a JSON parser, and the verdict on
 * them. Arguments that do not parse and do not end with {@code }} or {@code ]} were cut off by the
 * output limit: routers rewrite {@code finish_reason: length} to {@code tool_calls}, so the text
 * itself is the evidence. Other parse failures are model formatting mistakes worth a retry.
 */
record ToolArguments(Verdict verdict, List<JsonObject> parsed, String firstInvalidTool) {

    enum Verdict { VALID, INVALID, TRUNCATED }

    static ToolArguments check(List<ToolCall> calls) {
        List<JsonObject> parsed = new ArrayList<>(calls.size());
        String firstInvalid = null;
        boolean truncated = false;
        for (ToolCall call : calls) {
            String arguments = call.function().arguments() == null ? "" : call.function().arguments();
            Optional<JsonObject> object = parseObject(arguments);
            if (object.isPresent()) {
                parsed.add(object.get());
                continue;
            }
            firstInvalid = firstInvalid == null ? call.function().name() : firstInvalid;
            String end = arguments.stripTrailing();
            truncated |= !(end.endsWith("}") || end.endsWith("]")) && !parses(arguments);
        }
        Verdict verdict = truncated ? Verdict.TRUNCATED : firstInvalid != null ? Verdict.INVALID : Verdict.VALID;
        return new ToolArguments(verdict, List.copyOf(parsed), firstInvalid);
    }

    /** The arguments as an object; blank means none ({@code {}}), as some servers send for no-argument calls. */
    private static Optional<JsonObject> parseObject(String arguments) {
        if (arguments.isBlank()) {
            return Optional.of(JsonValue.EMPTY_JSON_OBJECT);
        }
        return parse(arguments).filter(v -> v instanceof JsonObject).map(JsonValue::asJsonObject);
    }

    /** Whether the text is JSON at all (a number or an array parses but is still not valid arguments). */
    private static boolean parses(String text) {
        return parse(text).isPresent();
    }

    private static Optional<JsonValue> parse(String text) {
        try (JsonReader reader = JsonP.PROVIDER.createReader(new StringReader(text))) {
            return Optional.of(reader.readValue());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
