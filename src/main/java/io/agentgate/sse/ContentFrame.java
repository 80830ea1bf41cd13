package io.agentgate.sse;

import io.agentgate.api.ChatCompletionChunk;
import io.agentgate.api.ChatCompletionChunk.Delta;
import io.agentgate.api.CompletionId;
import io.agentgate.api.Json;
import io.agentgate.api.JsonP;

/**
 * The JSON of one stream's content-delta chunks. Within a stream only the content changes (id,
 * model and created do not), so each content chunk is the same text around its escaped content.
 * The text is cut from a template chunk serialised by the one JSON-B instance, so the bytes are
 * exactly those {@link Json#write} gives; JSON-B once per token was the gateway's own largest cost
 * when relaying a fast upstream (JFR, bench/run).
 */
final class ContentFrame {

    private static final String MARKER = "agentgate-content-marker-5d1c";

    private final CompletionId id;
    private final String prefix;
    private final String suffix;

    ContentFrame(CompletionId id) {
        this.id = id;
        String template = Json.write(chunk(id, MARKER));
        int at = template.indexOf('"' + MARKER + '"');
        this.prefix = at < 0 ? null : template.substring(0, at);
        this.suffix = at < 0 ? null : template.substring(at + MARKER.length() + 2);
    }

    String json(String content) {
        if (prefix == null) {
            return Json.write(chunk(id, content)); // the marker clashed with the id or model: no shortcut
        }
        // Parsson escapes a JSON string here exactly as the generator JSON-B writes with does.
        return prefix + JsonP.PROVIDER.createValue(content) + suffix;
    }

    static ChatCompletionChunk chunk(CompletionId id, String content) {
        return ChatCompletionChunk.of(id, new Delta(null, content), null, null);
    }
}
