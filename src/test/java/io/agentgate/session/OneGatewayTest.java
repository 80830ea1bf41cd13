package io.agentgate.session;

import io.agentgate.testing.RecordingModel;
import io.agentgate.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh gateway with a recording model (and a fresh database) for every test. */
abstract class OneGatewayTest {

    protected RecordingModel model;
    protected TestGateway gateway;

    @BeforeEach
    void startGateway() {
        model = new RecordingModel();
        gateway = TestGateway.start(Map.of(), model);
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }
}
