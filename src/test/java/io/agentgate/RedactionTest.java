package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.CredentialShapes;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import io.agentgate.testing.LogCapture;
import io.agentgate.testing.RunsTable;
import jakarta.json.Json;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upstream error text holding a credential, in each well-known shape, reaches neither the
 * client's error, nor {@code runs.error_message}, nor the log.
 */
class RedactionTest {

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of());

    @Test
    void everyCredentialShapeIsRedactedInTheClientErrorTheRunsTableAndTheLog() throws Exception {
        for (String[] shape : CredentialShapes.ALL) {
            RunsTable.clear(env.gateway());
            String upstreamError = Json.createObjectBuilder().add("error", Json.createObjectBuilder()
                    .add("message", "Invalid request: " + shape[0]).add("type", "invalid_request_error"))
                    .build().toString();
            env.upstream().enqueue(Script.status(400, upstreamError));
            try (LogCapture log = new LogCapture()) {
                HttpResponse<String> response = env.gateway().postJson("/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

                assertTrue(response.statusCode() >= 400, response.body());
                assertFalse(response.body().contains(shape[1]), "client error: " + response.body());
                RunsTable.assertOnlyRun(env.gateway(), "upstream_error");
                String stored = errorMessage();
                assertFalse(stored.contains(shape[1]), "runs.error_message: " + stored);
                for (String line : log.linesAtInfoOrAbove()) {
                    assertFalse(line.contains(shape[1]), "log: " + line);
                }
            }
        }
    }

    private static String errorMessage() throws Exception {
        try (Connection c = env.gateway().db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT error_message FROM runs")) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }
}
