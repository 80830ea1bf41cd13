package io.agentgate.session;

import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.update;
import static io.agentgate.session.SessionCalls.value;
import static io.agentgate.session.SessionContinuityTest.dialogue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.FakeModel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DBA owns deletion: the cleanup function works, and the gateway survives rows vanishing. */
class SessionDbaCleanupTest extends OneGatewayTest {

    @Test
    void aDbaDeleteInTheMiddleOfATurnStartsTheSessionFresh() throws Exception {
        Reply first = send(gateway, "dba", "first");
        CompletableFuture<Reply> running = turnInProgress("dba", "second " + FakeModel.GATE);
        update(gateway, "DELETE FROM session_messages");
        update(gateway, "DELETE FROM sessions");
        model.openGate();

        Reply second = running.get(10, TimeUnit.SECONDS);
        assertNull(second.error());
        assertEquals("reply to: second " + FakeModel.GATE, second.content());

        Reply third = send(gateway, "dba", "third");
        assertNotEquals(first.header("X-Session-Id"), third.header("X-Session-Id"));
        assertEquals(List.of("user: third"), dialogue(model.lastAgentCall()));
        assertEquals(2L, value(gateway, "SELECT count(*) FROM session_messages"));
    }

    @Test
    void cleanupDeletesOldTranscriptsAndRunsAndOptionallyIdleSessions() throws Exception {
        send(gateway, "old", "ancient history");
        send(gateway, "new", "recent news");
        update(gateway, """
                UPDATE session_messages SET created_at = now() - interval '100 days'
                 WHERE session_id = (SELECT session_id FROM sessions WHERE session_key = 'old')""");
        update(gateway, "UPDATE sessions SET updated_at = now() - interval '100 days' WHERE session_key = 'old'");
        Object live = value(gateway, "SELECT instance_id FROM instances");
        update(gateway, """
                INSERT INTO runs (run_id, session_key, model, streaming, started_at, ended_at, outcome, instance_id)
                VALUES (?, 'old', 'demo', false, now() - interval '100 days', now() - interval '100 days', 'stop', ?),
                       (?, 'new', 'demo', false, now(), now(), 'stop', ?),
                       (?, 'old', 'demo', false, now() - interval '100 days', NULL, NULL, ?),
                       (?, 'old', 'demo', false, now() - interval '100 days', NULL, NULL, 'long-gone'),
                       (?, 'old', 'demo', false, now() - interval '100 days', NULL, NULL, NULL)""",
                UUID.randomUUID(), live, UUID.randomUUID(), live, UUID.randomUUID(), live, UUID.randomUUID(),
                UUID.randomUUID());

        update(gateway, "INSERT INTO instances (instance_id, incarnation, expires_at)"
                + " VALUES ('long-gone', gen_random_uuid(), now() - interval '100 days')");

        assertEquals(List.of(2L, 3L, 0L), cleanup("SELECT * FROM agentgate_cleanup(interval '90 days')"));
        assertEquals(List.of(live), List.of(value(gateway, "SELECT string_agg(instance_id, ',') FROM instances")),
                "an instance not live for 90 days is forgotten, the live one stays");
        assertEquals(2L, value(gateway, "SELECT count(*) FROM session_messages"));
        assertEquals(live, value(gateway, "SELECT instance_id FROM runs WHERE started_at < now() - interval '90 days'"),
                "only the run still going on a live instance stays; those of dead instances (or none) are deleted");
        assertEquals(List.of(0L, 0L, 1L), cleanup("SELECT * FROM agentgate_cleanup(interval '90 days', true)"));

        Reply again = send(gateway, "old", "hello");
        assertNull(again.header("X-Session-Reset"));
        assertEquals(List.of("user: hello"), dialogue(model.lastAgentCall()));
    }

    private List<Long> cleanup(String sql) throws Exception {
        try (Connection c = gateway.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }
}
