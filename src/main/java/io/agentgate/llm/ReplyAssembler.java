package io.agentgate.llm;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds one {@link ModelReply} from OpenAI {@code chat.completion.chunk} objects: content is
 * forwarded to the sink as it arrives (the caller flushes), reasoning channels are ignored,
 * tool-call fragments are joined by their {@code index}, and the last {@code finish_reason} and
 * {@code usage} win.
 */
final class ReplyAssembler {

    private final ContentSink sink;
    private final StringBuilder content = new StringBuilder();
    private final Map<Integer, PartialToolCall> toolCalls = new TreeMap<>();
    private String finishReason;
    private Usage usage = Usage.ZERO;

    ReplyAssembler(ContentSink sink) {
        this.sink = sink;
    }

    /** Takes one chunk. */
    void accept(JsonObject chunk) {
        if (chunk.get("usage") instanceof JsonObject u) {
            usage = Usage.of(intOf(u, "prompt_tokens"), intOf(u, "completion_tokens"));
        }
        if (!(chunk.get("choices") instanceof JsonArray choices)) {
            return;
        }
        for (JsonValue value : choices) {
            // n=1 is all the gateway asks for; another index would be a second answer, not ours.
            if (value instanceof JsonObject choice && intOf(choice, "index") == 0) {
                acceptChoice(choice);
            }
        }
    }

    /** True once the model said why it stopped. */
    boolean finished() {
        return finishReason != null;
    }

    ModelReply reply() {
        List<ToolCall> calls = new ArrayList<>(toolCalls.size());
        toolCalls.values().forEach(c -> calls.add(c.toToolCall()));
        return new ModelReply(content.toString(), calls, finishReason, usage);
    }

    private void acceptChoice(JsonObject choice) {
        if (choice.get("delta") instanceof JsonObject delta) {
            String text = stringOf(delta, "content");
            if (!text.isEmpty()) {
                content.append(text);
                sink.content(text);
            }
            // reasoning_content (vLLM, DeepSeek) and reasoning (Ollama, OpenRouter) are never shown.
            if (delta.get("tool_calls") instanceof JsonArray fragments) {
                for (JsonValue fragment : fragments) {
                    if (fragment instanceof JsonObject f) {
                        acceptToolCallFragment(f);
                    }
                }
            }
        }
        if (choice.get("finish_reason") instanceof JsonString reason) {
            finishReason = reason.getString();
        }
    }

    private void acceptToolCallFragment(JsonObject fragment) {
        // A server that omits the index sends whole calls, one entry each.
        int index = fragment.get("index") instanceof JsonNumber n ? n.intValue() : toolCalls.size();
        PartialToolCall call = toolCalls.computeIfAbsent(index, i -> new PartialToolCall());
        String id = stringOf(fragment, "id");
        if (!id.isEmpty()) {
            call.id = id;
        }
        if (fragment.get("function") instanceof JsonObject function) {
            call.name.append(stringOf(function, "name"));
            call.arguments.append(stringOf(function, "arguments"));
        }
    }

    private static String stringOf(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : "";
    }

    private static int intOf(JsonObject o, String key) {
        return o.get(key) instanceof JsonNumber n ? n.intValue() : 0;
    }

    private static final class PartialToolCall {
        private String id;
        private final StringBuilder name = new StringBuilder();
        private final StringBuilder arguments = new StringBuilder();

        ToolCall toToolCall() {
            // Some servers leave the id out; the tool result must still refer to its call.
            String callId = id != null ? id : "call_" + UUID.randomUUID().toString().replace("-", "");
            return ToolCall.complete(callId, name.toString(), arguments.toString());
        }
    }
}
