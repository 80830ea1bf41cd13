package io.agentgate.session;

import io.agentgate.http.SessionProtocol;
import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.stream;
import static io.agentgate.session.SessionCalls.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.llm.ModelCall;
import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.FakeModel;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session key gives a server-side conversation; without one, requests stay stateless. */
class SessionContinuityTest extends OneGatewayTest {

    @Test
    void theStoredTranscriptIsTheHistoryOfTheNextRequest() throws Exception {
        Reply first = send(gateway, "chat-1", "my name is Ada");
        Reply second = stream(gateway, "chat-1", "what is my name?");

        assertNull(second.error());
        assertEquals("reply to: what is my name?", second.content());
        assertEquals("chat-1", first.header("X-Session-Key"));
        assertNotNull(first.header("X-Session-Id"));
        assertEquals(first.header("X-Session-Id"), second.header("X-Session-Id"));
        assertNull(second.header("X-Session-Reset"));
        assertEquals(List.of("user: my name is Ada", "assistant: reply to: my name is Ada", "user: what is my name?"),
                dialogue(model.lastAgentCall()));

        gateway.awaitRunsWritten();
        assertEquals(2L, value(gateway, "SELECT count(*) FROM runs WHERE session_key = 'chat-1' AND session_id = ?",
                java.util.UUID.fromString(first.header("X-Session-Id"))), "each turn is a run of its session");

        HttpResponse<String> view = gateway.get("/v1/sessions/chat-1");
        assertEquals(200, view.statusCode());
        assertTrue(view.body().contains("\"message_count\":4"), view.body());
        assertTrue(view.body().contains("\"running\":false"), view.body());
        assertTrue(view.body().contains("\"session_id\":\"" + first.header("X-Session-Id") + "\""), view.body());
    }

    @Test
    void onlyTheTrailingUserMessagesAreNewInput() throws Exception {
        send(gateway, "chat-2", "first");
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions", """
                {"messages":[{"role":"system","content":"be brief"},
                             {"role":"user","content":"client copy of history"},
                             {"role":"assistant","content":"ignored"},
                             {"role":"user","content":"second"}]}""", "X-Session-Key", "chat-2");
        assertEquals(200, response.statusCode(), response.body());
        ModelCall call = model.lastAgentCall();
        assertEquals(List.of("user: first", "assistant: reply to: first", "user: second"), dialogue(call));
        assertTrue(FakeModel.systemText(call).contains("be brief"));
    }

    @Test
    void withoutAKeyNothingIsStored() throws Exception {
        Reply reply = send(gateway, null, "hello");
        assertEquals("reply to: hello", reply.content());
        assertNull(reply.header("X-Session-Id"));
        assertEquals(0L, value(gateway, "SELECT count(*) FROM sessions"));
        assertEquals(0L, value(gateway, "SELECT count(*) FROM session_messages"));
        gateway.awaitRunsWritten();
        assertEquals(1L, value(gateway, "SELECT count(*) FROM runs WHERE session_key IS NULL"), "only its run record");
    }

    @Test
    void keysAreOpaqueAndLengthLimited() throws Exception {
        String odd = "x'; DROP TABLE sessions; -- \"%s\\";
        Reply reply = send(gateway, odd, "hi");
        assertEquals(odd, reply.header("X-Session-Key"));
        assertEquals(1L, value(gateway, "SELECT count(*) FROM sessions WHERE session_key = ?", odd));

        HttpResponse<String> tooLong = gateway.postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "X-Session-Key", "k".repeat(257));
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("\"param\":\"X-Session-Key\""), tooLong.body());
    }

    @Test
    void newAndResetStartAFreshSessionOnRequest() throws Exception {
        Reply first = send(gateway, "chat-3", "remember me");
        Reply reset = stream(gateway, "chat-3", "/new");
        assertEquals(SessionProtocol.RESET_TEXT, reset.content());
        assertEquals("manual", reset.header("X-Session-Reset"));
        assertNotEquals(first.header("X-Session-Id"), reset.header("X-Session-Id"));

        Reply next = send(gateway, "chat-3", "hello");
        assertEquals(reset.header("X-Session-Id"), next.header("X-Session-Id"));
        assertEquals(List.of("user: hello"), dialogue(model.lastAgentCall()));
        assertTrue(FakeModel.systemText(model.lastAgentCall()).contains("NOTE: user: remember me"),
                "the old session's memory is in the new session's system prompt");

        HttpResponse<String> deleted = gateway.http().send(java.net.http.HttpRequest.newBuilder(
                gateway.uri("/v1/sessions/chat-3")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, deleted.statusCode());
        assertTrue(deleted.body().contains("\"last_reset_reason\":\"manual\""), deleted.body());
        assertTrue(deleted.body().contains("\"message_count\":0"), deleted.body());
        assertEquals(404, gateway.get("/v1/sessions/never-seen").statusCode());
    }

    static List<String> dialogue(ModelCall call) {
        return call.messages().stream().filter(m -> !"system".equals(m.role()))
                .map(m -> m.role() + ": " + m.content()).toList();
    }
}
