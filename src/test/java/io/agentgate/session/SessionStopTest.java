package io.agentgate.session;

import io.agentgate.http.SessionProtocol;
import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.value;
import static io.agentgate.session.SessionContinuityTest.dialogue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.errors.OpenAIServiceException;
import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.Await;
import io.agentgate.testing.RecordingTool;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /stop interrupts a running turn, suspends the session, and the next message starts fresh. */
class SessionStopTest extends OneGatewayTest {

    @Test
    void stopDuringALongToolRunEndsThatStreamAndTheNextRequestStartsFresh() throws Exception {
        Reply before = send(gateway, "chat", "my favourite colour is blue");
        CompletableFuture<Reply> running = SessionCalls.streamInBackground(gateway, "chat",
                "run the long tool " + FakeModel.LONG_TOOL);
        awaitToolRunning();

        Reply stop = send(gateway, "chat", "/stop");
        assertEquals(SessionProtocol.STOPPED_TEXT, stop.content());

        Reply stopped = running.get(10, TimeUnit.SECONDS);
        assertNotNull(stopped.error(), "the stopped stream ends with an error frame");
        assertTrue(stopped.error().getMessage().contains("Stopped by /stop"), stopped.error().getMessage());
        assertEquals(Boolean.TRUE, value(gateway, "SELECT suspended FROM sessions WHERE session_key = ?", "chat"));

        Reply next = send(gateway, "chat", "hello again");
        assertEquals("suspended", next.header("X-Session-Reset"));
        assertNotEquals(before.header("X-Session-Id"), next.header("X-Session-Id"));
        assertTrue(next.content().startsWith("[Session reset: the previous session was stopped"), next.content());
        String system = FakeModel.systemText(model.lastAgentCall());
        assertTrue(system.contains("previous session was stopped and suspended"), system);
        assertTrue(system.contains("NOTE: user: my favourite colour is blue"), system);
        assertEquals(List.of("user: hello again"), dialogue(model.lastAgentCall()));
        assertEquals(1, model.summaryCount());

        Reply after = send(gateway, "chat", "and again");
        assertNull(after.header("X-Session-Reset"));
        assertTrue(!FakeModel.systemText(model.lastAgentCall()).contains("stopped and suspended"),
                "only the first call of the fresh session gets the note");
    }

    @Test
    void stopWhileTheModelIsThinkingEndsTheNonStreamingRequestAsStopped() throws Exception {
        CompletableFuture<Reply> running = CompletableFuture.supplyAsync(
                () -> send(gateway, "slow", "think hard " + FakeModel.BLOCK),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        model.awaitEntered();
        HttpResponse<String> stop = gateway.postJson("/v1/sessions/slow/stop", "");
        assertTrue(stop.body().contains("\"stopped\":true"), stop.body());
        java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS));
        OpenAIServiceException error = (OpenAIServiceException) failed.getCause();
        assertEquals(499, error.statusCode());
        assertEquals("cancelled", error.code().orElse(null));
    }

    private void awaitToolRunning() throws Exception {
        RecordingTool tool = RecordingTool.of(gateway.gateway());
        Await.until("the long tool starts", () -> !tool.calls().isEmpty());
    }

    @Test
    void stopWithNothingRunningSuspendsNothing() throws Exception {
        Reply first = send(gateway, "idle-chat", "hi");
        Reply stop = send(gateway, "idle-chat", "/stop");
        assertEquals(SessionProtocol.NOTHING_TO_STOP_TEXT, stop.content());
        assertEquals(Boolean.FALSE, value(gateway, "SELECT suspended FROM sessions WHERE session_key = ?", "idle-chat"));
        Reply next = send(gateway, "idle-chat", "still here");
        assertNull(next.header("X-Session-Reset"));
        assertEquals(first.header("X-Session-Id"), next.header("X-Session-Id"));
    }
}
