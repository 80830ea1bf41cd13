package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.TestGateway;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A non-streaming client that gives up (closes its connection) while the answer is still being made:
 * nothing was written to it, so only the connection's state can tell; the agent is cancelled within
 * a second and the run recorded as {@code cancelled}, not run to the end as {@code completed}.
 */
class NonStreamingDisconnectTest {

    @Test
    void aNonStreamingClientThatClosesItsConnectionCancelsItsAgentWithinASecond() throws Exception {
        // 60 words at 100 ms: the answer would take 6 s.
        try (TestGateway gateway = TestGateway.start(Map.of("AGENTGATE_DEMO_WORD_DELAY_MS", "100"))) {
            String body = "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "word ".repeat(60).strip() + "\"}]}";
            long closed;
            try (Socket client = new Socket(gateway.baseUri().getHost(), gateway.baseUri().getPort())) {
                OutputStream out = client.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                awaitOutcomes(gateway, List.of("running"), 5_000);
                Thread.sleep(500);
                closed = System.nanoTime();
            }
            awaitOutcomes(gateway, List.of("cancelled"), 3_000);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);
            assertTrue(tookMillis <= 1_000, "cancelled " + tookMillis + " ms after the client closed");
        }
    }

    private static void awaitOutcomes(TestGateway gateway, List<String> expected, long withinMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        while (!gateway.runOutcomes().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, gateway.runOutcomes());
    }
}
