package io.agentgate.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.api.JsonP;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One model reply assembled from {@code chat.completion.chunk} objects, with no network. */
class ReplyAssemblerTest {

    private final List<String> shown = new ArrayList<>();
    private final ReplyAssembler assembler = new ReplyAssembler(new ContentSink() {
        @Override
        public void content(String text) {
            shown.add(text);
        }

        @Override
        public void flush() {}
    });

    @Test
    void contentIsForwardedInOrderAndReasoningIsNeverShown() {
        accept("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
        accept("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}]}");
        accept("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hmm\",\"content\":\"Hel\"}}]}");
        accept("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}");
        assertFalse(assembler.finished());
        accept("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        accept("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}");

        assertTrue(assembler.finished());
        assertEquals(List.of("Hel", "lo"), shown);
        assertEquals(new ModelReply("Hello", List.of(), "stop", Usage.of(5, 2)), assembler.reply());
    }

    @Test
    void toolCallFragmentsAreJoinedByIndex() {
        accept(toolFragment(0, "call_a", "calculate", "{\"expr"));
        accept(toolFragment(1, "call_b", "current_time", ""));
        accept(toolFragment(0, null, null, "ession\": \"1\"}"));
        accept("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");

        assertEquals(List.of(ToolCall.complete("call_a", "calculate", "{\"expression\": \"1\"}"),
                ToolCall.complete("call_b", "current_time", "")), assembler.reply().toolCalls());
        assertEquals(List.of(), shown);
    }

    @Test
    void aCallWithoutAnIdGetsOneAndCallsWithoutAnIndexAreWholeCallsEach() {
        accept("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                + "{\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}},"
                + "{\"id\":\"x\",\"function\":{\"name\":\"b\",\"arguments\":\"{}\"}}]}}]}");

        List<ToolCall> calls = assembler.reply().toolCalls();
        assertEquals(2, calls.size());
        assertTrue(calls.get(0).id().startsWith("call_"), calls.get(0).id());
        assertEquals("a", calls.get(0).function().name());
        assertEquals(ToolCall.complete("x", "b", "{}"), calls.get(1));
    }

    @Test
    void aSecondChoiceIsNotPartOfTheAnswer() {
        accept("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"},\"finish_reason\":\"stop\"}]}");

        assertFalse(assembler.finished());
        assertEquals(List.of(), shown);
    }

    @Test
    void anErrorFrameIsRefusedWholeAndMalformedDataIsAnError() {
        assertFalse(assembler.accept("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}],"
                + "\"error\":{\"message\":\"overloaded\"}}"));
        assertEquals(List.of(), shown, "nothing of an error frame is shown");
        for (String bad : List.of("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"", "[1]", "{} {}", "")) {
            org.junit.jupiter.api.Assertions.assertThrows(jakarta.json.JsonException.class, () -> assembler.accept(bad),
                    bad);
        }
    }

    @Test
    void unknownMembersOfAnyShapeAreSkippedAndUnicodeContentArrivesIntact() {
        accept("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":null,"
                + "\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"x\",\"top\":[[1,{\"a\":[]}]]}]},"
                + "\"index\":0,\"delta\":{\"refusal\":null,\"content\":\"caf\\u00e9 \\\"q\\\" \\n😀\"}}],"
                + "\"usage\":null}");
        assertEquals(List.of("café \"q\" \n😀"), shown);
    }

    private void accept(String chunk) {
        assertTrue(assembler.accept(chunk), "not an error frame: " + chunk);
    }

    private static String toolFragment(int index, String id, String name, String arguments) {
        var fragment = JsonP.PROVIDER.createObjectBuilder().add("index", index);
        if (id != null) {
            fragment.add("id", id);
        }
        var function = JsonP.PROVIDER.createObjectBuilder().add("arguments", arguments);
        if (name != null) {
            function.add("name", name);
        }
        fragment.add("function", function);
        JsonObject chunk = JsonP.PROVIDER.createObjectBuilder().add("choices", JsonP.PROVIDER.createArrayBuilder()
                .add(JsonP.PROVIDER.createObjectBuilder().add("index", 0).add("delta",
                        JsonP.PROVIDER.createObjectBuilder().add("tool_calls",
                                JsonP.PROVIDER.createArrayBuilder().add(fragment))))).build();
        return chunk.toString();
    }
}
