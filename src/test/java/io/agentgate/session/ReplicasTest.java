package io.agentgate.session;

import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.sharedDatabase;
import static io.agentgate.session.SessionCalls.streamInBackground;
import static io.agentgate.session.SessionCalls.update;
import static io.agentgate.session.SessionCalls.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.Await;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on one database, as replicas behind a load balancer: a restart of one
 * leaves the other's conversations alone, and a stop made on one reaches a turn on the other at once.
 */
class ReplicasTest {

    private static Map<String, String> instance(Map<String, String> shared, String id) {
        Map<String, String> settings = new HashMap<>(shared);
        settings.put("AGENTGATE_INSTANCE_ID", id);
        return settings;
    }

    @Test
    void restartingOneInstanceSuspendsItsOwnTurnInFlightAndNothingOfTheOther() throws Exception {
        Map<String, String> shared = sharedDatabase();
        FakeModel modelA = FakeModel.forSessions();
        FakeModel modelB = FakeModel.forSessions();
        TestGateway a = TestGateway.start(instance(shared, "a"), modelA);
        try (TestGateway b = TestGateway.start(instance(shared, "b"), modelB)) {
            Reply idleOnA = send(a, "idle-a", "hello a");
            Reply idleOnB = send(b, "idle-b", "hello b");
            CompletableFuture<Reply> onB = streamInBackground(b, "on-b", "long answer " + FakeModel.GATE);
            modelB.awaitEntered();
            CompletableFuture<Reply> onA = streamInBackground(a, "on-a", "stuck " + FakeModel.BLOCK);
            modelA.awaitEntered();

            a.close();
            onA.get(10, TimeUnit.SECONDS); // how that client is told is the shutdown's business (issue 12)
            FakeModel modelA2 = FakeModel.forSessions();
            try (TestGateway a2 = TestGateway.start(instance(shared, "a"), modelA2)) {
                assertEquals(Boolean.TRUE, value(a2, "SELECT suspended FROM sessions WHERE session_key = 'on-a'"));
                for (String untouched : new String[] {"on-b", "idle-b", "idle-a"}) {
                    assertEquals(Boolean.FALSE, value(a2, "SELECT suspended FROM sessions WHERE session_key = ?",
                            untouched), untouched + " was active within the window, but another instance is live");
                }
                assertEquals("b", value(a2, "SELECT running_owner FROM sessions WHERE session_key = 'on-b'"));

                modelB.openGate();
                Reply streamed = onB.get(10, TimeUnit.SECONDS);
                assertNull(streamed.error(), "B's stream went on through A's restart");
                Reply nextOnB = send(b, "on-b", "and then?");
                assertNull(nextOnB.header("X-Session-Reset"));
                assertEquals(streamed.headers().values("X-Session-Id"), nextOnB.headers().values("X-Session-Id"));
                assertNull(send(a2, "idle-b", "still there").header("X-Session-Reset"));
                Reply idleAgain = send(a2, "idle-a", "back on a");
                assertNull(idleAgain.header("X-Session-Reset"));
                assertEquals(idleOnA.header("X-Session-Id"), idleAgain.header("X-Session-Id"));
                assertNotNull(idleOnB.header("X-Session-Id"));

                Reply resumed = send(b, "on-a", "where were we?");
                assertEquals("suspended", resumed.header("X-Session-Reset"), "A's cut turn is suspended, on any instance");
                assertTrue(FakeModel.systemText(modelB.lastAgentCall()).contains("stopped and suspended"));
            }
        } finally {
            a.close();
        }
    }

    @Test
    void aStopOnOneInstanceEndsATurnOnTheOtherWithinOneSecond() throws Exception {
        // The default lease (30 s, heartbeat every 10 s): only the notification can be this fast.
        Map<String, String> shared = sharedDatabase();
        FakeModel modelA = FakeModel.forSessions();
        try (TestGateway a = TestGateway.start(instance(shared, "a"), modelA);
             TestGateway b = TestGateway.start(instance(shared, "b"), FakeModel.forSessions())) {
            assertStopCrossesWithinOneSecond(a, modelA, b, "first");

            // The listening connections dropped (a database restart, a proxy's idle cut): they come back.
            value(a, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'agentgate-stop-listener' AND datname = current_database()");
            Await.until("both stop listeners reconnected", Duration.ofSeconds(15), () -> Long.valueOf(2).equals(
                    value(a, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'agentgate-stop-listener'"
                            + " AND datname = current_database() AND query ILIKE 'LISTEN%'")));
            assertStopCrossesWithinOneSecond(a, modelA, b, "after-reconnect");
        }
    }

    private static void assertStopCrossesWithinOneSecond(TestGateway a, FakeModel modelA, TestGateway b, String key)
            throws Exception {
        CompletableFuture<Reply> running = streamInBackground(a, key, "stuck " + FakeModel.BLOCK);
        modelA.awaitEntered();
        CompletableFuture<Long> endedAt = running.thenApply(reply -> System.nanoTime());
        long stopAt = System.nanoTime();
        HttpResponse<String> stop = b.postJson("/v1/sessions/" + key + "/stop", "");
        assertTrue(stop.body().contains("\"stopped\":true"), stop.body());
        Reply stopped = running.get(10, TimeUnit.SECONDS);
        assertNotNull(stopped.error(), "the stopped stream ends with an error frame");
        assertTrue(stopped.error().getMessage().contains("Stopped by /stop"), stopped.error().getMessage());
        long millis = TimeUnit.NANOSECONDS.toMillis(endedAt.get() - stopAt);
        assertTrue(millis < 1000, "stop on B to error frame from A took " + millis + " ms");
    }

    @Test
    void aStopWhoseNotificationIsLostArrivesWithTheHeartbeat() throws Exception {
        Map<String, String> shared = sharedDatabase("AGENTGATE_SESSION_LEASE_SECONDS", "1.5");
        FakeModel modelA = FakeModel.forSessions();
        try (TestGateway a = TestGateway.start(instance(shared, "a"), modelA);
             TestGateway b = TestGateway.start(instance(shared, "b"), FakeModel.forSessions())) {
            CompletableFuture<Reply> running = streamInBackground(a, "lost", "stuck " + FakeModel.BLOCK);
            modelA.awaitEntered();
            // A stop as the database records it, without its NOTIFY (as if the notification was lost).
            assertEquals(1, update(b, """
                    UPDATE sessions SET suspended = TRUE, stopped_run_id = running_run_id, running_run_id = NULL,
                           running_owner = NULL, lease_until = NULL WHERE session_key = 'lost'"""));
            Reply stopped = running.get(10, TimeUnit.SECONDS);
            assertNotNull(stopped.error());
            assertTrue(stopped.error().getMessage().contains("Stopped by /stop"), stopped.error().getMessage());
        }
    }
}
