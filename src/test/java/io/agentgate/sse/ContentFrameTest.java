package io.agentgate.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentgate.api.CompletionId;
import io.agentgate.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-stream content template gives byte for byte what JSON-B gives for the same chunk. */
class ContentFrameTest {

    @Test
    void sameBytesAsJsonB() {
        CompletionId id = CompletionId.fresh("model \"with\" quotes/é");
        ContentFrame frame = new ContentFrame(id);
        for (String content : List.of("hello", " world", "quote \" backslash \\ slash /", "line\nbreak\ttab\r",
                "control \u0001\u001f del \u007f", "unicode é 漢字 😀 \u2028\u2029", "</script>", "\"")) {
            assertEquals(Json.write(ContentFrame.chunk(id, content)), frame.json(content), content);
        }
    }

    @Test
    void idContainingTheMarkerStillSerialisesCorrectly() {
        CompletionId id = new CompletionId("agentgate-content-marker-5d1c", 1, "m");
        assertEquals(Json.write(ContentFrame.chunk(id, "x")), new ContentFrame(id).json("x"));
    }
}
