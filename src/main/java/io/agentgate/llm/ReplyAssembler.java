package io.agentgate.llm;

import io.agentgate.api.JsonP;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds one {@link ModelReply} from OpenAI {@code chat.completion.chunk} payloads: content is
 * forwarded to the sink as it arrives (the caller flushes), reasoning channels are ignored,
 * tool-call fragments are joined by their {@code index}, and the last {@code finish_reason} and
 * {@code usage} win. Each payload is read with the JSON-P streaming parser, keeping only what the
 * agent uses (content, tool-call fragments, finish reason, usage) and skipping the rest unbuilt:
 * building every chunk as a {@code JsonObject} tree (id, model, created, choices, maps and all) to
 * read one string out of it was the relay's largest cost per token (JFR, bench/run relay_ratio).
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

    /**
     * Takes one chunk's JSON text. Returns false, taking nothing from it, when it is an error frame
     * (an object with an {@code error} member).
     *
     * @throws JsonException when the payload is not one JSON object
     */
    boolean accept(String data) {
        Chunk chunk = new Chunk();
        try (JsonParser parser = JsonP.PROVIDER.createParser(new StringReader(data))) {
            if (parser.next() != Event.START_OBJECT) {
                throw new JsonException("a chunk must be a JSON object");
            }
            for (Event e; (e = parser.next()) != Event.END_OBJECT; ) {
                String key = parser.getString();
                Event value = parser.next();
                switch (key) {
                    case "error" -> {
                        chunk.error = true;
                        skip(parser, value);
                    }
                    case "usage" -> chunk.usage = value == Event.START_OBJECT ? usage(parser) : skip(parser, value);
                    case "choices" -> {
                        if (value == Event.START_ARRAY) {
                            choices(parser, chunk);
                        } else {
                            skip(parser, value);
                        }
                    }
                    default -> skip(parser, value);
                }
            }
            if (parser.hasNext()) {
                throw new JsonException("text after the chunk's object");
            }
        } catch (java.util.NoSuchElementException | IllegalStateException e) {
            throw new JsonException("a truncated or malformed chunk", e);
        }
        if (chunk.error) {
            return false;
        }
        apply(chunk);
        return true;
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

    private void apply(Chunk chunk) {
        if (chunk.usage != null) {
            usage = chunk.usage;
        }
        if (!chunk.text.isEmpty()) {
            content.append(chunk.text);
            sink.content(chunk.text);
        }
        for (Fragment f : chunk.fragments) {
            // A server that omits the index sends whole calls, one entry each.
            int index = f.index != null ? f.index : toolCalls.size();
            PartialToolCall call = toolCalls.computeIfAbsent(index, i -> new PartialToolCall());
            if (!f.id.isEmpty()) {
                call.id = f.id;
            }
            call.name.append(f.name);
            call.arguments.append(f.arguments);
        }
        if (chunk.finishReason != null) {
            finishReason = chunk.finishReason;
        }
    }

    /** What one chunk carries for the agent, gathered before any of it is applied. */
    private static final class Chunk {
        boolean error;
        Usage usage;
        String text = "";
        final List<Fragment> fragments = new ArrayList<>(0);
        String finishReason;
    }

    private static final class Fragment {
        Integer index;
        String id = "";
        String name = "";
        String arguments = "";
    }

    private static Usage usage(JsonParser p) {
        int prompt = 0;
        int completion = 0;
        for (Event e; (e = p.next()) != Event.END_OBJECT; ) {
            String key = p.getString();
            Event value = p.next();
            switch (key) {
                case "prompt_tokens" -> prompt = intOf(p, value);
                case "completion_tokens" -> completion = intOf(p, value);
                default -> skip(p, value);
            }
        }
        return Usage.of(prompt, completion);
    }

    private static void choices(JsonParser p, Chunk chunk) {
        for (Event e; (e = p.next()) != Event.END_ARRAY; ) {
            if (e != Event.START_OBJECT) {
                skip(p, e);
                continue;
            }
            int index = 0;
            String text = "";
            List<Fragment> fragments = new ArrayList<>(0);
            String finish = null;
            for (Event f; (f = p.next()) != Event.END_OBJECT; ) {
                String key = p.getString();
                Event value = p.next();
                switch (key) {
                    case "index" -> index = intOf(p, value);
                    case "delta" -> {
                        if (value == Event.START_OBJECT) {
                            text = delta(p, fragments);
                        } else {
                            skip(p, value);
                        }
                    }
                    case "finish_reason" -> finish = value == Event.VALUE_STRING ? p.getString() : null;
                    default -> skip(p, value);
                }
            }
            // n=1 is all the gateway asks for; another index would be a second answer, not ours.
            if (index == 0) {
                chunk.text = chunk.text + text;
                chunk.fragments.addAll(fragments);
                if (finish != null) {
                    chunk.finishReason = finish;
                }
            }
        }
    }

    /** Reads a delta; returns its content. reasoning_content (vLLM, DeepSeek) and reasoning (Ollama, OpenRouter) are skipped. */
    private static String delta(JsonParser p, List<Fragment> fragments) {
        String text = "";
        for (Event e; (e = p.next()) != Event.END_OBJECT; ) {
            String key = p.getString();
            Event value = p.next();
            switch (key) {
                case "content" -> text = value == Event.VALUE_STRING ? p.getString() : "";
                case "tool_calls" -> {
                    if (value == Event.START_ARRAY) {
                        for (Event f; (f = p.next()) != Event.END_ARRAY; ) {
                            if (f == Event.START_OBJECT) {
                                fragments.add(fragment(p));
                            } else {
                                skip(p, f);
                            }
                        }
                    } else {
                        skip(p, value);
                    }
                }
                default -> skip(p, value);
            }
        }
        return text;
    }

    private static Fragment fragment(JsonParser p) {
        Fragment f = new Fragment();
        for (Event e; (e = p.next()) != Event.END_OBJECT; ) {
            String key = p.getString();
            Event value = p.next();
            switch (key) {
                case "index" -> f.index = value == Event.VALUE_NUMBER ? p.getInt() : null;
                case "id" -> f.id = value == Event.VALUE_STRING ? p.getString() : "";
                case "function" -> {
                    if (value != Event.START_OBJECT) {
                        skip(p, value);
                        continue;
                    }
                    for (Event g; (g = p.next()) != Event.END_OBJECT; ) {
                        String name = p.getString();
                        Event v = p.next();
                        switch (name) {
                            case "name" -> f.name = v == Event.VALUE_STRING ? p.getString() : "";
                            case "arguments" -> f.arguments = v == Event.VALUE_STRING ? p.getString() : "";
                            default -> skip(p, v);
                        }
                    }
                }
                default -> skip(p, value);
            }
        }
        return f;
    }

    private static int intOf(JsonParser p, Event value) {
        return value == Event.VALUE_NUMBER ? p.getInt() : 0;
    }

    /** Skips the value that {@code value} started (a whole object or array); returns null for the caller's field. */
    private static <T> T skip(JsonParser p, Event value) {
        if (value == Event.START_OBJECT || value == Event.START_ARRAY) {
            int depth = 1;
            while (depth > 0) {
                Event e = p.next();
                if (e == Event.START_OBJECT || e == Event.START_ARRAY) {
                    depth++;
                } else if (e == Event.END_OBJECT || e == Event.END_ARRAY) {
                    depth--;
                }
            }
        }
        return null;
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
