package io.agentgate.session;

import io.agentgate.testing.FakeModel;
import io.agentgate.testing.TestGateway;
import io.agentgate.session.SessionCalls.Reply;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh gateway with a recording model (and a fresh database) for every test. */
abstract class OneGatewayTest {

    protected FakeModel model;
    protected TestGateway gateway;

    @BeforeEach
    void startGateway() {
        model = FakeModel.forSessions();
        gateway = TestGateway.start(Map.of(), model);
    }

    /** Starts a streaming turn in the background and returns once the model is working on it. */
    protected CompletableFuture<Reply> turnInProgress(String key, String text) throws InterruptedException {
        CompletableFuture<Reply> running = SessionCalls.streamInBackground(gateway, key, text);
        model.awaitEntered();
        return running;
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }
}
