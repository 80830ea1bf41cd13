package io.agentgate.session;

import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.sharedDatabase;
import static io.agentgate.session.SessionCalls.update;
import static io.agentgate.session.SessionCalls.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.Await;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up suspension, idle reset, and a memory flush that happens exactly once across a restart. */
class SessionRestartTest {

    @Test
    void restartSuspendsASessionTouched30SecondsAgoButNotOneTouched10MinutesAgo() throws Exception {
        Map<String, String> settings = sharedDatabase();
        try (TestGateway first = TestGateway.start(settings, FakeModel.forSessions())) {
            send(first, "recent", "hi");
            send(first, "older", "hi");
            update(first, "UPDATE sessions SET updated_at = now() - interval '30 seconds' WHERE session_key = 'recent'");
            update(first, "UPDATE sessions SET updated_at = now() - interval '10 minutes' WHERE session_key = 'older'");
        }
        FakeModel model = FakeModel.forSessions();
        try (TestGateway second = TestGateway.start(settings, model)) {
            assertEquals(Boolean.TRUE, value(second, "SELECT suspended FROM sessions WHERE session_key = 'recent'"));
            assertEquals(Boolean.FALSE, value(second, "SELECT suspended FROM sessions WHERE session_key = 'older'"));

            Reply recent = send(second, "recent", "back");
            assertEquals("suspended", recent.header("X-Session-Reset"));
            assertTrue(FakeModel.systemText(model.lastAgentCall()).contains("stopped and suspended"));
            Reply older = send(second, "older", "back");
            assertNull(older.header("X-Session-Reset"));
        }
    }

    @Test
    void idleSessionStartsFreshWithItsOwnNote() throws Exception {
        FakeModel model = FakeModel.forSessions();
        try (TestGateway gateway = TestGateway.start(Map.of("AGENTGATE_SESSION_IDLE_MINUTES", "60"), model)) {
            Reply first = send(gateway, "tea", "I like green tea");
            update(gateway, "UPDATE sessions SET updated_at = now() - interval '2 hours'");

            Reply next = send(gateway, "tea", "hello");
            assertEquals("idle", next.header("X-Session-Reset"));
            assertTrue(!first.header("X-Session-Id").equals(next.header("X-Session-Id")));
            assertTrue(next.content().startsWith("[Session reset: the previous session was idle for more than 60 minutes"),
                    next.content());
            String system = FakeModel.systemText(model.lastAgentCall());
            assertTrue(system.contains("expired due to inactivity"), system);
            assertTrue(system.contains("NOTE: user: I like green tea"), system);
            assertEquals(1, model.summaryCount());
            assertEquals(1L, value(gateway, "SELECT count(*) FROM session_memory WHERE session_key = 'tea'"));
            assertEquals("idle", value(gateway, "SELECT last_reset_reason FROM sessions WHERE session_key = 'tea'"));
        }
    }

    @Test
    void dailyResetAfterTheConfiguredHour() throws Exception {
        // The reset hour is the current one, so an hour and a minute ago is before it, always.
        String hour = String.valueOf(java.time.ZonedDateTime.now().getHour());
        FakeModel model = FakeModel.forSessions();
        try (TestGateway gateway = TestGateway.start(Map.of("AGENTGATE_SESSION_DAILY_HOUR", hour), model)) {
            send(gateway, "day", "good morning");
            update(gateway, "UPDATE sessions SET updated_at = now() - interval '61 minutes'");

            Reply next = send(gateway, "day", "good evening");
            assertEquals("daily", next.header("X-Session-Reset"));
            assertTrue(next.content().startsWith("[Session reset: daily reset at " + hour + ":00"), next.content());
            assertTrue(FakeModel.systemText(model.lastAgentCall()).contains("reset by the daily schedule"));
        }
    }

    @Test
    void memoryIsFlushedExactlyOnceAcrossARestartBetweenFlushAndReset() throws Exception {
        Map<String, String> settings = sharedDatabase("AGENTGATE_MEMORY_SWEEP_SECONDS", "0.2");
        FakeModel before = FakeModel.forSessions();
        try (TestGateway first = TestGateway.start(settings, before)) {
            send(first, "proj", "my project is agentgate");
            // Suspended but not yet accessed: the background sweep flushes, the reset waits.
            update(first, "UPDATE sessions SET suspended = TRUE");
            awaitTrue(first, "SELECT memory_flushed FROM sessions WHERE session_key = 'proj'");
            assertEquals(1, before.summaryCount());
            assertEquals(1L, value(first, "SELECT count(*) FROM session_memory"));
        }
        FakeModel after = FakeModel.forSessions();
        try (TestGateway second = TestGateway.start(settings, after)) {
            Reply reply = send(second, "proj", "hello");
            assertEquals("suspended", reply.header("X-Session-Reset"));
            assertTrue(FakeModel.systemText(after.lastAgentCall()).contains("NOTE: user: my project is agentgate"));
            Thread.sleep(600); // a few sweeps
            assertEquals(0, after.summaryCount(), "no second flush after the restart");
            assertEquals(1L, value(second, "SELECT count(*) FROM session_memory"));
            assertEquals(Boolean.FALSE, value(second, "SELECT memory_flushed FROM sessions"));
        }
    }

    @Test
    void aFlushInterruptedByARestartHappensLaterOnAccess() throws Exception {
        Map<String, String> settings = sharedDatabase();
        try (TestGateway first = TestGateway.start(settings, FakeModel.forSessions())) {
            send(first, "late", "remember the lake house");
            update(first, "UPDATE sessions SET suspended = TRUE");
        }
        FakeModel model = FakeModel.forSessions();
        try (TestGateway second = TestGateway.start(settings, model)) {
            send(second, "late", "hi");
            assertEquals(1, model.summaryCount());
            assertTrue(FakeModel.systemText(model.lastAgentCall()).contains("NOTE: user: remember the lake house"));
        }
    }

    static void awaitTrue(TestGateway gateway, String sql) throws Exception {
        Await.until(sql, () -> Boolean.TRUE.equals(value(gateway, sql)));
    }
}
