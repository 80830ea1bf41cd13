package io.agentgate.session;

import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.value;
import static io.agentgate.session.SessionContinuityTest.dialogue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.RecordingModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /stop interrupts a running turn, suspends the session, and the next message starts fresh. */
class SessionStopTest extends OneGatewayTest {

    @Test
    void stopDuringALongToolRunEndsThatStreamAndTheNextRequestStartsFresh() throws Exception {
        Reply before = send(gateway, "chat", "my favourite colour is blue");
        CompletableFuture<Reply> running = turnInProgress("chat", "run the long tool " + RecordingModel.BLOCK);

        Reply stop = send(gateway, "chat", "/stop");
        assertEquals(SessionService.STOPPED_TEXT, stop.content());

        Reply stopped = running.get(10, TimeUnit.SECONDS);
        assertNotNull(stopped.error(), "the stopped stream ends with an error frame");
        assertTrue(stopped.error().getMessage().contains("Stopped by /stop"), stopped.error().getMessage());
        assertEquals(Boolean.TRUE, value(gateway, "SELECT suspended FROM sessions WHERE session_key = ?", "chat"));

        Reply next = send(gateway, "chat", "hello again");
        assertEquals("suspended", next.header("X-Session-Reset"));
        assertNotEquals(before.header("X-Session-Id"), next.header("X-Session-Id"));
        assertTrue(next.content().startsWith("[Session reset: the previous session was stopped"), next.content());
        String system = RecordingModel.systemText(model.lastAgentCall());
        assertTrue(system.contains("previous session was stopped and suspended"), system);
        assertTrue(system.contains("NOTE: user: my favourite colour is blue"), system);
        assertEquals(List.of("user: hello again"), dialogue(model.lastAgentCall()));
        assertEquals(1, model.summaryCount());

        Reply after = send(gateway, "chat", "and again");
        assertNull(after.header("X-Session-Reset"));
        assertTrue(!RecordingModel.systemText(model.lastAgentCall()).contains("stopped and suspended"),
                "only the first call of the fresh session gets the note");
    }

    @Test
    void stopWithNothingRunningSuspendsNothing() throws Exception {
        Reply first = send(gateway, "idle-chat", "hi");
        Reply stop = send(gateway, "idle-chat", "/stop");
        assertEquals(SessionService.NOTHING_TO_STOP_TEXT, stop.content());
        assertEquals(Boolean.FALSE, value(gateway, "SELECT suspended FROM sessions WHERE session_key = ?", "idle-chat"));
        Reply next = send(gateway, "idle-chat", "still here");
        assertNull(next.header("X-Session-Reset"));
        assertEquals(first.header("X-Session-Id"), next.header("X-Session-Id"));
    }
}
