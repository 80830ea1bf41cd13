package io.agentgate.session;

import static io.agentgate.session.SessionCalls.send;
import static io.agentgate.session.SessionCalls.sharedDatabase;
import static io.agentgate.session.SessionCalls.streamInBackground;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.errors.OpenAIServiceException;
import io.agentgate.session.SessionCalls.Reply;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One running agent per session key, within one gateway and across gateways on one database. */
class SessionConcurrencyTest {

    @Test
    void aSecondRequestWhileOneRunsGets409() throws Exception {
        FakeModel model = FakeModel.forSessions();
        try (TestGateway gateway = TestGateway.start(Map.of(), model)) {
            CompletableFuture<Reply> running = streamInBackground(gateway, "busy", FakeModel.BLOCK);
            model.awaitEntered();

            OpenAIServiceException busy = assertThrows(OpenAIServiceException.class,
                    () -> send(gateway, "busy", "are you there?"));
            assertEquals(409, busy.statusCode());
            HttpResponse<String> raw = gateway.postJson("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}", "X-Session-Key", "busy");
            assertEquals(409, raw.statusCode());
            assertTrue(raw.body().contains("\"type\":\"invalid_request_error\""), raw.body());
            assertTrue(raw.body().contains("\"param\":null"), raw.body());
            assertTrue(raw.body().contains("\"code\":\"session_busy\""), raw.body());

            assertEquals("reply to: meanwhile", send(gateway, "other-key", "meanwhile").content(),
                    "other sessions are not blocked");

            HttpResponse<String> stop = gateway.postJson("/v1/sessions/busy/stop", "");
            assertTrue(stop.body().contains("\"stopped\":true"), stop.body());
            assertNotNull(running.get(10, TimeUnit.SECONDS).error());
        }
    }

    @Test
    void twoGatewaysOnOneDatabaseCannotRunTheSameSessionAtOnce() throws Exception {
        Map<String, String> settings = sharedDatabase("AGENTGATE_SESSION_LEASE_SECONDS", "1.5");
        FakeModel modelA = FakeModel.forSessions();
        FakeModel modelB = FakeModel.forSessions();
        try (TestGateway a = TestGateway.start(settings, modelA);
             TestGateway b = TestGateway.start(settings, modelB)) {
            send(a, "shared", "hello from a");
            CompletableFuture<Reply> running = streamInBackground(a, "shared", "long " + FakeModel.BLOCK);
            modelA.awaitEntered();
            Thread.sleep(2000); // longer than the lease: only the heartbeat keeps it

            OpenAIServiceException busy = assertThrows(OpenAIServiceException.class,
                    () -> send(b, "shared", "from b"));
            assertEquals(409, busy.statusCode());
            assertTrue(b.get("/v1/sessions/shared").body().contains("\"running\":true"));

            // A stop on B reaches the run on A through the database, at A's next heartbeat.
            HttpResponse<String> stop = b.postJson("/v1/sessions/shared/stop", "");
            assertTrue(stop.body().contains("\"stopped\":true"), stop.body());
            Reply stopped = running.get(10, TimeUnit.SECONDS);
            assertNotNull(stopped.error());

            Reply next = send(b, "shared", "fresh start on b");
            assertEquals("suspended", next.header("X-Session-Reset"));
            assertTrue(FakeModel.systemText(modelB.lastAgentCall()).contains("stopped and suspended"));
        }
    }
}
