package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.agentgate.testing.Await;
import io.agentgate.testing.FakeUpstream;
import io.agentgate.testing.FakeUpstreamGateway;
import io.agentgate.testing.LogCapture;
import io.agentgate.testing.FakeUpstream.Call;
import io.agentgate.testing.FakeUpstream.Received;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.RecordingTool;
import io.agentgate.testing.RunsTable;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent loop seen from outside: the official OpenAI Java SDK talks to a real gateway, which
 * talks to a scripted fake upstream over real HTTP and SSE. Each test scripts the upstream's
 * replies and checks what the client got and what the upstream was asked.
 */
class AgentLoopTest {

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of(
            // Keepalives find a vanished client even while the upstream is quiet.
            "AGENTGATE_KEEPALIVE_SECONDS", "0.2"));

    @Test
    void normalTextStreamsThroughWithToolsAdvertised() throws Exception {
        env.upstream().enqueue(Script.text("Hello from the upstream model."));

        Streamed result = stream("hi");

        assertNull(result.error());
        assertEquals("Hello from the upstream model.", result.text());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), result.finishes());
        Received request = env.upstream().request(0);
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("Bearer " + FakeUpstream.API_KEY, request.authorization());
        assertEquals(FakeUpstream.MODEL, request.body().getString("model"));
        assertTrue(request.body().getBoolean("stream"));
        assertEquals("hi", request.lastMessage().getString("content"));
        assertTrue(request.toolNames().containsAll(List.of("current_time", "calculate", RecordingTool.NAME)),
                request.toolNames().toString());
        assertRunOutcome("completed");
    }

    @Test
    void nonStreamingAnswerCarriesUsageAndModelsListTheUpstreamModel() {
        env.upstream().enqueue(Script.text("Four words right here."));

        ChatCompletion completion = env.gateway().openAi().chat().completions().create(params("count"));

        assertEquals("Four words right here.", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertEquals(4, completion.usage().orElseThrow().completionTokens());
        assertEquals(List.of(FakeUpstream.MODEL),
                env.gateway().openAi().models().list().data().stream().map(Model::id).toList());
    }

    @Test
    void oneToolRoundTripFeedsTheResultBack() throws Exception {
        env.upstream().enqueue(
                Script.toolCall("call_1", "calculate", "{\"expression\": \"6 * 7\"}"),
                Script.text("The answer is 42."));

        Streamed result = stream("what is six times seven?");

        assertNull(result.error());
        assertEquals("The answer is 42.", result.text(), "tool progress is not part of the answer");
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), result.finishes());
        assertEquals(2, env.upstream().requestCount());
        JsonObject assistant = env.upstream().request(1).message(1);
        assertEquals("assistant", assistant.getString("role"));
        assertEquals("call_1", assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id"));
        assertEquals("calculate",
                assistant.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("name"));
        JsonObject toolResult = env.upstream().request(1).lastMessage();
        assertEquals("tool", toolResult.getString("role"));
        assertEquals("call_1", toolResult.getString("tool_call_id"));
        assertEquals("42", toolResult.getString("content"));
        assertRunOutcome("completed");
    }

    @Test
    void aToolThatThrowsOrDoesNotExistGivesTheModelAnErrorResult() {
        env.upstream().enqueue(
                Script.toolCalls("tool_calls",
                        new Call("call_a", RecordingTool.NAME, "{\"fail\": true}"),
                        new Call("call_b", "no_such_tool", "{}")),
                Script.text("Both tools failed."));

        ChatCompletion completion = env.gateway().openAi().chat().completions().create(params("try the tools"));

        assertTrue(completion.choices().get(0).message().content().orElseThrow().endsWith("Both tools failed."));
        assertEquals(1, env.gateway().recordingTool().calls().size());
        Received second = env.upstream().request(1);
        assertEquals("Error: the recorder was told to fail", second.message(1).getString("content"));
        assertTrue(second.lastMessage().getString("content").startsWith("Error: there is no tool named 'no_such_tool'"),
                second.lastMessage().toString());
    }

    @Test
    void keepalivesFlowWhileASlowToolRuns() throws Exception {
        env.upstream().enqueue(
                Script.toolCall("call_1", RecordingTool.NAME, "{\"note\": \"slow\", \"sleep_ms\": 800}"),
                Script.text("Done."));

        HttpResponse<String> response = env.gateway().postJson("/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go slow\"}]}");

        String body = response.body();
        int progress = body.indexOf("\"reasoning_content\":\"" + RecordingTool.NAME);
        int answer = body.indexOf("Done.");
        assertTrue(progress > 0 && answer > progress, body);
        assertTrue(body.substring(progress, answer).contains(": keepalive"),
                "the 0.2 s keepalive covers the 0.8 s tool: " + body);
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    }

    @Test
    void truncatedToolArgumentsAreNeverExecutedWhateverTheFinishReason() throws Exception {
        // A router rewrote "length" to "tool_calls": the arguments themselves show the cut.
        env.upstream().enqueue(Script.toolCalls("tool_calls",
                new Call("call_ok", RecordingTool.NAME, "{\"note\": \"complete\"}"),
                new Call("call_cut", RecordingTool.NAME, "{\"note\": \"this was cut off mid-")));

        Streamed result = stream("write a long note");

        assertNull(result.error());
        assertEquals("Response truncated due to output length limit", result.text());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.LENGTH), result.finishes());
        assertEquals(List.of(), env.gateway().recordingTool().calls(), "no tool of a truncated response runs");
        assertEquals(1, env.upstream().requestCount(), "the turn ends; no retry");
        assertRunOutcome("completed");
    }

    @Test
    void invalidToolArgumentsAreRetriedThreeTimesThenTheTurnFails() throws Exception {
        for (int i = 0; i < 3; i++) {
            env.upstream().enqueue(Script.toolCall("call_" + i, RecordingTool.NAME, "{\"note\": not json}"));
        }

        Streamed result = stream("record something");

        assertEquals("upstream_error", result.errorCode(), "the stream ends with an error frame");
        assertTrue(result.error().getMessage().contains("invalid JSON arguments for tool '" + RecordingTool.NAME + "'"),
                result.error().getMessage());
        assertEquals(3, env.upstream().requestCount());
        assertEquals(env.upstream().request(0).body(), env.upstream().request(2).body(), "each retry repeats the same call");
        assertEquals(List.of(), env.gateway().recordingTool().calls());
        assertRunOutcome("upstream_error");
    }

    @Test
    void invalidToolArgumentsFollowedByValidOnesRecover() {
        env.upstream().enqueue(
                Script.toolCall("call_1", RecordingTool.NAME, "{'note': 'single quotes'}"),
                Script.toolCall("call_2", RecordingTool.NAME, "{\"note\": \"double quotes\"}"),
                Script.text("Recorded."));

        ChatCompletion completion = env.gateway().openAi().chat().completions().create(params("record"));

        assertTrue(completion.choices().get(0).message().content().orElseThrow().endsWith("Recorded."));
        assertEquals(3, env.upstream().requestCount());
        assertEquals(1, env.gateway().recordingTool().calls().size());
        assertEquals("double quotes", env.gateway().recordingTool().calls().get(0).getString("note"));
    }

    @Test
    void lengthWithOnlyReasoningEndsWithThinkingBudgetExhausted() throws Exception {
        env.upstream().enqueue(Script.text("<think type=\"deep\">Let me weigh every possibility carefully and", "length"));

        Streamed result = stream("a hard question");

        assertNull(result.error());
        assertTrue(result.text().contains("Thinking budget exhausted"), result.text());
        assertTrue(result.text().contains("max_tokens"), "tells the user what to do: " + result.text());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.LENGTH), result.finishes());
        assertEquals(1, env.upstream().requestCount(), "no continuation for exhausted thinking");
        assertRunOutcome("completed");
    }

    @Test
    void lengthWithoutReasoningTagsAsksToContinueAndJoinsTheParts() {
        env.upstream().enqueue(
                Script.text("The first part", "length"),
                Script.text(" and the second", "length"),
                Script.text(" and the end."));

        Streamed result = stream("tell me everything");

        assertNull(result.error());
        assertEquals("The first part and the second and the end.", result.text());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), result.finishes());
        assertEquals(3, env.upstream().requestCount());
        Received third = env.upstream().request(2);
        assertEquals("The first part and the second", third.message(1).getString("content"));
        assertEquals("assistant", third.message(1).getString("role"));
        assertEquals("user", third.lastMessage().getString("role"));
        assertTrue(third.lastMessage().getString("content").contains("Continue exactly where it stopped"));
    }

    @Test
    void lengthContinuationGivesUpAfterThreeAttempts() {
        for (int i = 0; i < 3; i++) {
            env.upstream().enqueue(Script.text("part" + i + " ", "length"));
        }

        Streamed result = stream("never-ending story");

        assertEquals("part0 part1 part2 \n\nResponse truncated due to output length limit", result.text());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.LENGTH), result.finishes());
        assertEquals(3, env.upstream().requestCount());
    }

    @Test
    void upstream500IsRetriedThenReportedAsUpstreamError() throws Exception {
        for (int i = 0; i < 3; i++) {
            env.upstream().enqueue(Script.status(500, "{\"error\":{\"message\":\"model crashed\"}}"));
        }

        InternalServerException e = assertThrows(InternalServerException.class,
                () -> env.gateway().openAi().chat().completions().create(params("hi")));

        assertEquals(502, e.statusCode());
        assertEquals("upstream_error", e.code().orElseThrow());
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertEquals(3, env.upstream().requestCount(), "3 attempts in all");
        assertRunOutcome("upstream_error");
    }

    @Test
    void upstream429ThenSuccessIsRetriedTransparently() throws Exception {
        env.upstream().enqueue(Script.status(429, "{\"error\":{\"message\":\"slow down\"}}"), Script.text("Made it."));

        Streamed result = stream("hi");

        assertNull(result.error());
        assertEquals("Made it.", result.text());
        assertEquals(2, env.upstream().requestCount());
        assertRunOutcome("completed");
    }

    @Test
    void upstream400IsNotRetriedAndItsMessageIsRedacted() throws Exception {
        env.upstream().enqueue(Script.status(400, "{\"error\":{\"message\":\"Context too long for key "
                + FakeUpstream.API_KEY + ", see https://internal.example/docs?token=abc\"}}"));

        Streamed result;
        List<String> infoLog;
        try (LogCapture logs = new LogCapture()) {
            result = stream("hi");
            infoLog = logs.linesAtInfoOrAbove();
        }

        assertEquals("upstream_error", result.errorCode());
        String message = result.error().getMessage();
        assertTrue(message.contains("HTTP 400") && message.contains("Context too long"), message);
        assertFalse(message.contains(FakeUpstream.API_KEY), message);
        assertFalse(message.contains("internal.example"), message);
        assertFalse(infoLog.isEmpty(), "the failure is logged at INFO or above");
        assertTrue(infoLog.stream().noneMatch(l -> l.contains(FakeUpstream.API_KEY) || l.contains("token=abc")),
                infoLog.toString());
        assertEquals(1, env.upstream().requestCount());
        assertRunOutcome("upstream_error");
    }

    @Test
    void errorFrameInTheUpstreamStreamIsAnUpstreamError() throws Exception {
        env.upstream().enqueue(Script.errorFrame("overloaded"));

        Streamed result = stream("hi");

        assertEquals("upstream_error", result.errorCode());
        assertTrue(result.error().getMessage().contains("overloaded"), result.error().getMessage());
        assertEquals(1, env.upstream().requestCount());
        assertRunOutcome("upstream_error");
    }

    @Test
    void upstreamCutMidStreamIsStreamInterruptedAndNotRetried() throws Exception {
        env.upstream().enqueue(Script.text("one two three four five").cutAfter(3));

        Streamed result = stream("count");

        assertEquals("one two ", result.text(), "what arrived before the cut was forwarded");
        assertEquals("stream_interrupted", result.errorCode());
        assertEquals(1, env.upstream().requestCount());
        assertRunOutcome("stream_interrupted");
    }

    @Test
    void upstreamStreamEndingWithoutFinishIsStreamInterrupted() throws Exception {
        env.upstream().enqueue(Script.text("one two three").closeAfter(2));

        InternalServerException e = assertThrows(InternalServerException.class,
                () -> env.gateway().openAi().chat().completions().create(params("count")));

        assertEquals(502, e.statusCode());
        assertEquals("stream_interrupted", e.code().orElseThrow());
        assertRunOutcome("stream_interrupted");
    }

    @Test
    void clientCancelAbortsTheUpstreamRequest() throws Exception {
        env.upstream().enqueue(Script.text("word ".repeat(400)).withDelay(Duration.ofMillis(25)));
        HttpRequest request = HttpRequest.newBuilder(env.gateway().uri("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"talk\"}]}"))
                .build();
        HttpResponse<InputStream> response = env.gateway().http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.contains("\"content\":\"word")) {
                    break;
                }
            }
        }

        assertTrue(env.upstream().awaitClientAbort(Duration.ofSeconds(10)), "the gateway aborted its upstream request");
        awaitNoOpenStreams();
        assertEquals(1, env.upstream().requestCount(), "a cancelled turn makes no further model call");
        assertRunOutcome("cancelled");
    }

    // --- helpers ---

    private record Streamed(String text, List<ChatCompletionChunk.Choice.FinishReason> finishes,
                            OpenAIException error) {

        /** The {@code code} of the stream's error frame, as the SDK parsed it. */
        String errorCode() {
            return error instanceof OpenAIServiceException service ? service.code().orElse(null) : null;
        }
    }

    /** Streams one user message through the SDK, keeping what arrived before any error. */
    private static Streamed stream(String userText) {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                     env.gateway().openAi().chat().completions().createStreaming(params(userText))) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> {
                choice.delta().content().ifPresent(text::append);
                choice.finishReason().ifPresent(finishes::add);
            }));
        } catch (OpenAIException e) {
            return new Streamed(text.toString(), finishes, e);
        }
        return new Streamed(text.toString(), finishes, null);
    }

    static ChatCompletionCreateParams params(String userText) {
        return ChatCompletionCreateParams.builder().model("any-client-model").addUserMessage(userText).build();
    }

    private static void awaitNoOpenStreams() throws Exception {
        Await.until("the cancelled stream is closed", () -> env.gateway().gateway().keepalives().openStreams() == 0);
    }

    /** The runs table holds exactly this test's run, ended with this outcome. */
    private static void assertRunOutcome(String expectedOutcome) throws Exception {
        RunsTable.assertOnlyRun(env.gateway(), expectedOutcome);
    }
}
