package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.chat.Usage;
import io.agentgate.llm.ModelReply;
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
                Map<Thread, StackTraceElement[]> threads = Thread.getAllStackTraces();
                long jettyThreads = threads.keySet().stream().filter(t -> t.getName().startsWith("qtp")).count();
                long reading = threads.entrySet().stream().filter(e -> e.getKey().getName().startsWith("qtp"))
                        .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().contains("read")
                                && f.getClassName().contains("HttpInput") || f.getClassName().contains("ServletChannel")
                                && f.getMethodName().equals("handle"))).count();
                System.out.println("Jetty threads with " + slowClients + " slow bodies in flight: " + jettyThreads
                        + ", of which in a request or a read: " + reading);

                HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
                long probesStarted = System.nanoTime();
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
                System.out.printf("4 x (health + completion) with slow bodies in flight: %.0f ms%n",
                        (System.nanoTime() - probesStarted) / 1e6);

                for (Socket socket : slow) {
                    socket.setSoTimeout(10_000);
                    JsonObject error = ErrorPages.assertJsonError(RawHttp.read(socket.getInputStream()), 408,
                            "slow body");
                    assertEquals("request_timeout", error.getString("code"));
                    assertEquals(-1, socket.getInputStream().read(), "the connection is closed after the 408");
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

    /**
     * A NUL in the model's answer reaches the client as sent, is stored as U+FFFD (PostgreSQL text
     * cannot hold it), and the session's next turn runs at once instead of finding the lease held.
     */
    @Test
    void nulFromTheModelIsStoredAsReplacementAndTheKeyStaysUsable() throws Exception {
        FakeModel model = FakeModel.forSessions()
                .enqueue(new ModelReply("a\u0000b", List.of(), "stop", Usage.of(1, 1)));
        try (TestGateway gateway = TestGateway.start(Map.of(), model)) {
            HttpResponse<String> first = gateway.postJson("/v1/chat/completions", HELLO, "X-Session-Key", "model-nul");
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("a\\u0000b"), first.body());
            HttpResponse<String> second = gateway.postJson("/v1/chat/completions", HELLO, "X-Session-Key", "model-nul");
            assertEquals(200, second.statusCode(), second.body());
            HttpResponse<String> transcript = gateway.get("/v1/sessions/model-nul/transcript");
            assertEquals(200, transcript.statusCode(), transcript.body());
            assertTrue(transcript.body().contains("a\uFFFDb"), transcript.body());
        }
    }

    /**
     * A Cyrillic key sent as UTF-8 in the header is the same key percent-encoded as UTF-8 in the
     * path, and the answer's header carries the same bytes back.
     */
    @Test
    void aCyrillicSessionKeyIsTheSameInTheHeaderAndThePath() throws Exception {
        String key = "ключ-сессии";
        try (TestGateway gateway = TestGateway.start(Map.of(), FakeModel.forSessions())) {
            byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + HELLO.length() + "\r\nX-Session-Key: ")
                    .getBytes(StandardCharsets.ISO_8859_1);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            request.writeBytes(head);
            request.writeBytes(key.getBytes(StandardCharsets.UTF_8));
            request.writeBytes(("\r\n\r\n" + HELLO).getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response answer = RawHttp.exchange(gateway.baseUri(), request.toByteArray());
            assertEquals(200, answer.status(), answer.body());
            assertEquals(key, new String(answer.headers().get("x-session-key").getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8), "the key's UTF-8 bytes echoed");

            String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
            HttpResponse<String> session = gateway.get("/v1/sessions/" + encoded);
            assertEquals(200, session.statusCode(), session.body());
            assertTrue(session.body().contains("\"session_key\":\"" + key + "\""), session.body());
            assertEquals(200, gateway.get("/v1/runs?session_key=" + encoded).statusCode());
            assertTrue(gateway.get("/v1/runs?session_key=" + encoded).body().contains(key));

            RawHttp.Response notUtf8 = RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    HELLO.getBytes(StandardCharsets.UTF_8), "X-Session-Key: \u00ff\u00fe");
            ErrorPages.assertJsonError(notUtf8, 400, "a key that is not UTF-8");
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
            JsonObject garbage = ErrorPages.assertJsonError(RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    (HELLO + "garbage").getBytes(StandardCharsets.UTF_8)), 400, "trailing garbage");
            assertTrue(garbage.getString("message").contains("after the JSON object"), garbage.toString());
            // Cut short is not "content after" anything: the message says the body ends early.
            JsonObject truncated = ErrorPages.assertJsonError(RawHttp.post(gateway.baseUri(), "/v1/chat/completions",
                    HELLO.substring(0, HELLO.length() - 3).getBytes(StandardCharsets.UTF_8)), 400, "truncated JSON");
            assertTrue(truncated.getString("message").contains("ends before its object does"), truncated.toString());

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

    /** Listening beyond loopback without an API key is said at start-up, with what it means. */
    @Test
    void listeningBeyondLoopbackWithoutAKeyIsAWarningAtStartUp() throws Exception {
        try (LogCapture log = new LogCapture()) {
            try (TestGateway open = TestGateway.start(Map.of("AGENTGATE_HOST", "0.0.0.0"))) {
                assertTrue(log.linesAtInfoOrAbove().stream().anyMatch(line -> line.contains("AGENTGATE_API_KEY")
                        && line.contains("not on loopback will be refused")), String.join("\n", log.linesAtInfoOrAbove()));
            }
        }
        try (LogCapture log = new LogCapture(); TestGateway local = TestGateway.start()) {
            assertTrue(log.linesAtInfoOrAbove().stream().noneMatch(line -> line.contains("not on loopback")));
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
