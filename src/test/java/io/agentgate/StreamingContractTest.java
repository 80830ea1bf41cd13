package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;
import io.agentgate.testing.LogCapture;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.RunsTable;
import io.agentgate.testing.TestGateway;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The streaming contract: keepalives, error frames, failure kinds, cancellation, CORS, metrics. One
 * gateway for the class; the runs table is emptied before each test, so each sees only its own runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingContractTest {

    private static final String SECRET = "sk-live-abcdef0123456789SECRET";

    private FakeModel model;
    private TestGateway gateway;

    @BeforeAll
    void start() {
        model = new FakeModel()
                .on("quiet", (call, sink, m) -> {
                    FakeModel.say(sink, "before");
                    Thread.sleep(1200); // a long tool run: nothing to say for several keepalive intervals
                    return FakeModel.words("after", 0).reply(call, sink, m);
                })
                .on("crash", (call, sink, m) -> {
                    FakeModel.say(sink, "partial");
                    throw new IllegalStateException("boom with " + SECRET + " and Authorization: Bearer " + SECRET);
                })
                .on("cut", (call, sink, m) -> {
                    FakeModel.say(sink, "some");
                    throw new ChatFailure(FailureKind.STREAM_INTERRUPTED, "The model's stream was interrupted.", null);
                })
                .on("upstream", (call, sink, m) -> {
                    throw new ChatFailure(FailureKind.UPSTREAM_ERROR, "upstream model error (502)",
                            new RuntimeException("upstream said: invalid key " + SECRET));
                })
                .on("timeout", (call, sink, m) -> {
                    throw new ChatFailure(FailureKind.TIMEOUT, "The upstream model did not answer in time.", null);
                })
                .on("slow", FakeModel.words("w ".repeat(200).trim(), 50));
        gateway = TestGateway.start(Map.of(
                "AGENTGATE_KEEPALIVE_SECONDS", "0.2",
                "AGENTGATE_CORS_ORIGINS", "https://app.example",
                "AGENTGATE_UPSTREAM_API_KEY", SECRET), model);
    }

    @BeforeEach
    void onlyThisTestsRuns() throws Exception {
        RunsTable.clear(gateway);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void keepalivesFillAQuietGapAndContentStillArrives() throws Exception {
        String body = postStream("quiet please").body();
        int before = body.indexOf("\"before\"");
        int keepalive = body.indexOf(": keepalive\n\n", before);
        int after = body.indexOf("\"after\"");
        assertTrue(before > 0 && keepalive > before && after > keepalive, body);
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    }

    @Test
    void agentCrashEndsTheStreamWithAnErrorFrameTheSdkRaisesOn() throws Exception {
        long crashes = gateway.countRuns("agent_error");
        StringBuilder seen = new StringBuilder();
        SseException raised = assertThrows(SseException.class, () -> {
            try (StreamResponse<ChatCompletionChunk> stream =
                         gateway.openAi().chat().completions().createStreaming(params("crash now"))) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(seen::append)));
            }
        });
        assertEquals("partial", seen.toString(), "content before the crash was delivered");
        assertTrue(raised.getMessage().contains("agent failed"), raised.getMessage());

        String raw = postStream("crash again").body();
        assertTrue(raw.contains("data: {\"error\":{"), raw);
        assertFalse(raw.contains("\"finish_reason\":\"stop\""), "a crash is never reported as stop: " + raw);
        assertFalse(raw.contains("[DONE]"), raw);
        assertFalse(raw.contains(SECRET), raw);
        gateway.awaitRunOutcomeCount("agent_error", crashes + 2);
    }

    @Test
    void nonStreamingFailuresAnswerWithTheirStatusAndAnOpenAiErrorBody() throws Exception {
        HttpResponse<String> crash = postWhole("crash whole");
        assertEquals(500, crash.statusCode());
        assertTrue(crash.body().contains("\"type\":\"server_error\"") && crash.body().contains("\"code\":\"agent_error\""),
                crash.body());
        HttpResponse<String> upstream = postWhole("upstream whole");
        assertEquals(502, upstream.statusCode());
        assertTrue(upstream.body().contains("upstream model error (502)"), upstream.body());
        assertEquals(504, postWhole("timeout whole").statusCode());

        OpenAIServiceException sdk = assertThrows(InternalServerException.class,
                () -> gateway.openAi().chat().completions().create(params("crash sdk")));
        assertEquals(500, sdk.statusCode());
    }

    @Test
    void modelCutMidStreamIsRecordedAsStreamInterrupted() throws Exception {
        long cuts = gateway.countRuns("stream_interrupted");
        String raw = postStream("cut it").body();
        assertTrue(raw.contains("\"code\":\"stream_interrupted\""), raw);
        assertFalse(raw.contains("[DONE]"), raw);
        gateway.awaitRunOutcomeCount("stream_interrupted", cuts + 1);
    }

    @Test
    void secretsInFailuresReachNeitherTheClientNorTheInfoLog() throws Exception {
        long upstreamErrors = gateway.countRuns("upstream_error");
        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> upstream = postWhole("upstream secret");
            HttpResponse<String> crash = postStream("crash secret");
            assertFalse(upstream.body().contains(SECRET), upstream.body());
            assertFalse(crash.body().contains(SECRET), crash.body());
            gateway.awaitRunOutcomeCount("upstream_error", upstreamErrors + 1);
            List<String> lines = logs.linesAtInfoOrAbove();
            assertTrue(lines.stream().anyMatch(l -> l.contains("crashed in agent code")), lines.toString());
            assertTrue(lines.stream().noneMatch(l -> l.contains(SECRET)), lines.toString());
        }
    }

    @Test
    void clientThatDisconnectsCancelsItsAgent() throws Exception {
        long cancels = gateway.countRuns("cancelled");
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("slow words", true))).build();
        HttpResponse<InputStream> response = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int contentChunks = 0;
            String line;
            while (contentChunks < 3 && (line = reader.readLine()) != null) {
                if (line.contains("\"content\":\"w\"") || line.contains("\"content\":\" w\"")) {
                    contentChunks++;
                }
            }
        }
        gateway.awaitRunOutcomeCount("cancelled", cancels + 1);
        int emittedAtCancel = model.wordsEmitted("slow");
        assertTrue(emittedAtCancel < 200, "the agent stopped before finishing: " + emittedAtCancel);
        Thread.sleep(300); // six more word intervals: a running agent would have emitted more
        assertEquals(emittedAtCancel, model.wordsEmitted("slow"), "no model activity after the cancel");
        assertFalse(gateway.runOutcomes().contains("agent_error"), "a cancel is never a failure");
    }

    @Test
    void streamingResponseCarriesCorsHeadersAndPreflightIsAnswered() throws Exception {
        HttpResponse<String> stream = gateway.http().send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Origin", "https://app.example")
                .POST(HttpRequest.BodyPublishers.ofString(body("hello cors", true))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("https://app.example", stream.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("no-cache", stream.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("no", stream.headers().firstValue("X-Accel-Buffering").orElse(null));
        assertTrue(stream.body().endsWith("data: [DONE]\n\n"));

        HttpResponse<String> preflight = gateway.http().send(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertEquals("authorization, content-type",
                preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));

        HttpResponse<String> foreign = gateway.http().send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
                .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void metricsCountEachOutcome() throws Exception {
        List<String> outcomes = List.of("completed", "stream_interrupted", "upstream_error", "agent_error", "timeout");
        String before = gateway.get("/metrics").body();
        postStream("hello metrics");
        postStream("cut metrics");
        postWhole("timeout metrics");
        postWhole("upstream metrics");
        postStream("crash metrics");
        // Each run is counted before its last byte is sent, so the counters are final here.
        String after = gateway.get("/metrics").body();
        for (String outcome : outcomes) {
            assertEquals(1.0, counter(after, outcome) - counter(before, outcome), outcome + " counted once in:\n" + after);
        }
        assertTrue(after.contains("agentgate_runs_total{outcome=\"cancelled\"}"), after);
        assertTrue(after.contains("agentgate_runs_in_flight"), after);
        assertTrue(after.contains("agentgate_sse_streams_open"), after);
    }

    private static double counter(String metrics, String outcome) {
        String prefix = "agentgate_runs_total{outcome=\"" + outcome + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).sum();
    }

    private HttpResponse<String> postStream(String text) throws Exception {
        return gateway.postJson("/v1/chat/completions", body(text, true));
    }

    private HttpResponse<String> postWhole(String text) throws Exception {
        return gateway.postJson("/v1/chat/completions", body(text, false));
    }

    private static String body(String text, boolean stream) {
        return "{\"model\":\"scripted\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    private static ChatCompletionCreateParams params(String text) {
        return ChatCompletionCreateParams.builder().model("scripted").addUserMessage(text).build();
    }
}
