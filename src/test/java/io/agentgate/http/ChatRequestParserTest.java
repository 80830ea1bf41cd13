package io.agentgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.chat.Message;
import io.agentgate.chat.ToolCall;
import io.agentgate.turn.TurnRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The chat request parser on bodies as text: what it keeps, and how it refuses (no HTTP). */
class ChatRequestParserTest {

    private final ChatRequestParser parser = new ChatRequestParser("default-model", 64);

    @Test
    void aMinimalBodyGetsTheDefaultModelAndDoesNotStream() throws Exception {
        TurnRequest request = parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals("default-model", request.model());
        assertFalse(request.streaming());
        assertEquals(List.of(Message.user("hi")), request.messages());
        assertEquals(Optional.empty(), request.sessionKey());
    }

    @Test
    void developerIsSystemTextPartsAreJoinedAndAssistantToolCallsKept() throws Exception {
        TurnRequest request = parse("""
                {"model":"m","stream":true,"n":1,"messages":[
                  {"role":"developer","content":"be brief"},
                  {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                    "function":{"name":"calculate","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"42"}]}""");

        assertEquals("m", request.model());
        assertTrue(request.streaming());
        assertEquals(List.of(Message.system("be brief"), Message.user("ab"),
                Message.assistant(null, List.of(ToolCall.complete("c1", "calculate", "{}"))),
                Message.tool("c1", "42")), request.messages());
    }

    @Test
    void aClientToolMayReturnAnEmptyResult() throws Exception {
        TurnRequest request = parse("""
                {"messages":[{"role":"user","content":"go"},
                  {"role":"assistant","tool_calls":[{"id":"c1","type":"function",
                    "function":{"name":"get_weather","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":""}]}""");

        assertEquals(Message.tool("c1", ""), request.messages().getLast());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                                             | ",
            "[1, 2]                                                         | ",
            "{\"messages\": oops}                                           | ",
            "{}                                                             | messages",
            "{\"messages\":[]}                                              | messages",
            "{\"messages\":\"hi\"}                                          | messages",
            "{\"messages\":[{\"content\":\"hi\"}]}                          | messages[0].role",
            "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}      | messages[0].role",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}          | messages[0].content",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]} | messages[0].content",
            "{\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | n",
            "{\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | stream",
            "{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | model",
    })
    void badBodiesAreRefusedWith400NamingTheParameter(String body, String param) {
        ApiException refused = assertThrows(ApiException.class, () -> parse(body));

        assertEquals(400, refused.error().status());
        assertEquals("invalid_request_error", refused.error().body().error().type());
        if (param == null) {
            assertNull(refused.error().body().error().param());
        } else {
            assertEquals(param, refused.error().body().error().param());
        }
    }

    private TurnRequest parse(String body) throws ApiException {
        return parser.parse(body, Optional.empty());
    }
}
