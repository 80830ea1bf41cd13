package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.ErrorPages;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.LogCapture;
import io.agentgate.testing.RawHttp;
import io.agentgate.testing.TestGateway;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a careless or hostile client sends, over raw sockets where no SDK would send it. */
class HostileInputTest {

    private static final String HELLO = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    /**
     * 200 connections each trickling a completion body at 1 byte/s hold no thread: /health and a
     * completion still answer within 1 s, and every slow body is answered 408 once its deadline
     * passes. (Before: 250 such connections parked 237 Jetty threads and 0 of 4 probes answered.)
     */
    @Test
    void slowBodiesHoldNoThreadAndGet408() throws Exception {
        int slowClients = 200;
        try (TestGateway gateway = TestGateway.start(Map.of("AGENTGATE_REQUEST_BODY_TIMEOUT_SECONDS", "4",
                "AGENTGATE_DEMO_WORD_DELAY_MS", "0"));
             ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor()) {
            List<Socket> slow = new ArrayList<>();
            byte[] body = HELLO.getBytes(StandardCharsets.UTF_8);
            try {
                for (int i = 0; i < slowClients; i++) {
                    Socket socket = RawHttp.connect(gateway.baseUri());
                    socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    slow.add(socket);
                }
                int[] sent = {0};
                drip.scheduleAtFixedRate(() -> {
                    int at = sent[0]++;
                    for (Socket socket : slow) {
                        try {
                            OutputStream out = socket.getOutputStream();
                            out.write(body[at % body.length]);
                            out.flush();
                        } catch (IOException closedByTheGateway) {
                            // expected once the deadline passed
                        }
                    }
                }, 0, 1, TimeUnit.SECONDS);
                Thread.sleep(1_500);

                HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> health = probe.send(HttpRequest.newBuilder(gateway.uri("/health"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, health.statusCode(), health.body());
                    HttpResponse<String> completion = probe.send(HttpRequest.newBuilder(
                                    gateway.uri("/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(1)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(HELLO)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, completion.statusCode(), completion.body());
                }

                for (Socket socket : slow) {
                    socket.setSoTimeout(10_000);
                    JsonObject error = ErrorPages.assertJsonError(RawHttp.read(socket.getInputStream()), 408,
                            "slow body");
                    assertEquals("request_timeout", error.getString("code"));
                }
            } finally {
                drip.shutdownNow();
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /** A NUL in a session turn is refused before the model is called, and the key is usable at once. */
    @Test
    void nulInASessionTurnIsRefusedBeforeTheModelAndLeavesTheKeyFree() throws Exception {
        FakeModel model = FakeModel.forSessions();
        try (TestGateway gateway = TestGateway.start(Map.of(), model)) {
            RawHttp.Response refused = RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"a\\u0000b\"}]}".getBytes(StandardCharsets.UTF_8),
                    "X-Session-Key: nul-key");
            JsonObject error = ErrorPages.assertJsonError(refused, 400, "NUL in content");
            assertEquals("messages[0].content", error.getString("param"));
            assertEquals(0, model.agentCalls().size(), "no model call");

            HttpResponse<String> next = gateway.postJson("/v1/chat/completions", HELLO, "X-Session-Key", "nul-key");
            assertEquals(200, next.statusCode(), next.body());
        }
    }

    /** 100,000 levels of nesting: 400 with an OpenAI error body and one log line, not a stack trace. */
    @Test
    void deepNestingIsA400WithOneLogLine() throws Exception {
        try (TestGateway gateway = TestGateway.start(); LogCapture log = new LogCapture()) {
            String deep = "{\"messages\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
            JsonObject error = ErrorPages.assertJsonError(RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    deep.getBytes(StandardCharsets.UTF_8)), 400, "deep nesting");
            assertTrue(error.getString("message").contains("nested"), error.toString());
            List<String> lines = log.linesAtInfoOrAbove();
            assertEquals(1, lines.size(), String.join("\n", lines));
            assertTrue(lines.getFirst().length() < 200, lines.getFirst());
        }
    }

    /** Content after the JSON object, and bytes that are not UTF-8, are refused instead of ignored or replaced. */
    @Test
    void trailingContentAndInvalidUtf8Are400() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            JsonObject trailing = ErrorPages.assertJsonError(RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    (HELLO + " {\"x\":1}").getBytes(StandardCharsets.UTF_8)), 400, "trailing JSON");
            assertTrue(trailing.getString("message").contains("after the JSON object"), trailing.toString());
            ErrorPages.assertJsonError(RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    (HELLO + "garbage").getBytes(StandardCharsets.UTF_8)), 400, "trailing garbage");

            byte[] prefix = "{\"messages\":[{\"role\":\"user\",\"content\":\"a".getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "b\"}]}".getBytes(StandardCharsets.UTF_8);
            for (byte[] bad : new byte[][] {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}}) {
                byte[] body = new byte[prefix.length + bad.length + suffix.length];
                System.arraycopy(prefix, 0, body, 0, prefix.length);
                System.arraycopy(bad, 0, body, prefix.length, bad.length);
                System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
                JsonObject error = ErrorPages.assertJsonError(RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                        body), 400, "invalid UTF-8");
                assertTrue(error.getString("message").contains("UTF-8"), error.toString());
            }
            // Trailing whitespace is still fine.
            assertEquals(200, RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    (HELLO + " \r\n").getBytes(StandardCharsets.UTF_8)).status());
        }
    }

    /** Every status Jetty raises itself in the standalone server is an OpenAI JSON error. */
    @Test
    void containerErrorsAreJsonInTheStandaloneServer() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            ErrorPages.assertApplicationErrorsAreJson(gateway.baseUri());
            ErrorPages.assertProtocolErrorsAreJson(gateway.baseUri());
        }
    }
}
