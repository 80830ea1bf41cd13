package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.agentgate.testing.FakeUpstream.Call;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI conformance as real clients see it (issue 11): a failure before the first byte has its own
 * status in LangChain4j's streaming client, openai-java's accumulator reads every stream, usage comes
 * as OpenAI sends it, the client's parameters and function tools reach the model, client tool calls
 * come back as {@code tool_calls} (stateless and in a session), and upstream statuses map to the
 * statuses the SDKs understand, with {@code x-should-retry: false}.
 */
class OpenAiConformanceTest {

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of());

    private static final String WEATHER = "get_weather";

    // --- 1. a failure before the stream starts keeps its status -------------------------------------

    @Test
    void langChain4jStreamingCallsOnErrorWhenTheUpstreamFailsBeforeTheFirstToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            env.upstream().enqueue(Script.status(500, "{\"error\":{\"message\":\"upstream exploded\"}}"));
        }
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(env.gateway().baseUri() + "v1").apiKey("unused").modelName("any").build();
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        AtomicBoolean completed = new AtomicBoolean();

        model.chat("hello", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {}

            @Override
            public void onCompleteResponse(ChatResponse response) {
                completed.set(true);
                error.complete(null);
            }

            @Override
            public void onError(Throwable t) {
                error.complete(t);
            }
        });

        Throwable raised = error.get(30, TimeUnit.SECONDS);
        assertNotNull(raised, "onError, not onCompleteResponse");
        assertFalse(completed.get());
        assertTrue(String.valueOf(raised.getMessage()).contains("upstream exploded"), String.valueOf(raised));
        assertEquals(3, env.upstream().requestCount(), "the gateway's own three attempts, nothing more");
    }

    @Test
    void aFailureBeforeTheFirstEventIsAnHttpStatusWithoutSessionHeadersOfAStream() throws Exception {
        env.upstream().enqueue(Script.status(400, "{\"error\":{\"message\":\"context length exceeded\"}}"));

        HttpResponse<String> response = env.gateway().postJson("/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"too long\"}]}");

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject error = json(response.body()).getJsonObject("error");
        assertTrue(error.getString("message").contains("context length exceeded"), response.body());
        assertEquals("false", response.headers().firstValue("x-should-retry").orElse(null));
        assertEquals(1, env.upstream().requestCount(), "a 400 is not retried");
    }

    @Test
    void aStreamingClientThatLeavesBeforeTheCommitStillCancelsItsTurn() throws Exception {
        env.upstream().enqueue(Script.hang()); // no response headers: nothing to commit the stream with
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (java.net.Socket client = new java.net.Socket(env.gateway().baseUri().getHost(),
                env.gateway().baseUri().getPort())) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            io.agentgate.testing.Await.until("the upstream was called", () -> env.upstream().requestCount() == 1);
            Thread.sleep(500); // the watch acts on a connection it has seen established (250 ms sweeps)
        }
        io.agentgate.testing.Await.until("the turn is cancelled",
                () -> env.gateway().runOutcomes().equals(List.of("cancelled")));
    }

    @Test
    void aFailureAfterTheFirstTokenStillEndsWithAnErrorFrame() throws Exception {
        env.upstream().enqueue(Script.text("one two three four").cutAfter(3));

        HttpResponse<String> response = env.gateway().postJson("/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"stream_interrupted\""), response.body());
        assertFalse(response.body().contains("[DONE]"), response.body());
    }

    // --- 2. usage in OpenAI's shape -------------------------------------------------------------------

    @Test
    void accumulatorReadsStreamsWithAndWithoutIncludeUsage() {
        env.upstream().enqueue(Script.text("Plain answer here."), Script.text("Counted answer here."));

        ChatCompletionAccumulator plain = accumulate(params("hi").build());
        ChatCompletionAccumulator counted = accumulate(params("hi").streamOptions(
                ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

        ChatCompletion first = plain.chatCompletion();
        assertEquals("Plain answer here.", first.choices().get(0).message().content().orElseThrow());
        assertTrue(first.usage().isEmpty(), "no usage unless asked for");
        ChatCompletion second = counted.chatCompletion();
        assertEquals("Counted answer here.", second.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, second.choices().get(0).finishReason());
        assertEquals(10, second.usage().orElseThrow().promptTokens());
        assertEquals(3, second.usage().orElseThrow().completionTokens());
    }

    @Test
    void usageIsALastChunkWithNoChoicesBeforeDone() throws Exception {
        env.upstream().enqueue(Script.text("Two words."));

        HttpResponse<String> response = env.gateway().postJson("/v1/chat/completions", "{\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        List<String> data = dataLines(response.body());
        assertEquals("[DONE]", data.getLast());
        JsonObject usageChunk = json(data.get(data.size() - 2));
        assertEquals(0, usageChunk.getJsonArray("choices").size(), usageChunk.toString());
        assertEquals(12, usageChunk.getJsonObject("usage").getInt("total_tokens"));
        for (String frame : data.subList(0, data.size() - 2)) {
            assertFalse(json(frame).containsKey("usage"), "only the last chunk carries usage: " + frame);
        }
    }

    // --- 3. parameters -------------------------------------------------------------------------------

    @Test
    void parametersReachTheUpstreamAsTheClientSentThem() {
        env.upstream().enqueue(Script.text("{\"ok\": true}"));

        env.gateway().openAi().chat().completions().create(params("json please")
                .temperature(0.3).topP(0.9).maxCompletionTokens(256L).seed(7L).presencePenalty(0.5)
                .frequencyPenalty(-0.5).user("user-1").stop("END").parallelToolCalls(false)
                .reasoningEffort(ReasoningEffort.LOW)
                .responseFormat(ResponseFormatJsonObject.builder().build())
                .logitBias(ChatCompletionCreateParams.LogitBias.builder()
                        .putAdditionalProperty("50256", JsonValue.from(-100)).build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                .build());

        JsonObject sent = env.upstream().request(0).body();
        assertEquals(0.3, sent.getJsonNumber("temperature").doubleValue());
        assertEquals(0.9, sent.getJsonNumber("top_p").doubleValue());
        assertEquals(256, sent.getInt("max_completion_tokens"));
        assertEquals(7, sent.getInt("seed"));
        assertEquals(0.5, sent.getJsonNumber("presence_penalty").doubleValue());
        assertEquals(-0.5, sent.getJsonNumber("frequency_penalty").doubleValue());
        assertEquals("user-1", sent.getString("user"));
        assertEquals("END", sent.getString("stop"));
        assertFalse(sent.getBoolean("parallel_tool_calls"));
        assertEquals("low", sent.getString("reasoning_effort"));
        assertEquals("json_object", sent.getJsonObject("response_format").getString("type"));
        assertEquals(-100, sent.getJsonObject("logit_bias").getInt("50256"));
        assertEquals("none", sent.getString("tool_choice"));
        assertEquals(upstreamModel(), sent.getString("model"), "the gateway's model, not the client's");
        assertTrue(sent.getBoolean("stream"));
    }

    @Test
    void toolChoiceGoesWithTheFirstModelCallOnly() {
        env.upstream().enqueue(Script.toolCall("call_1", "calculate", "{\"expression\": \"1 + 1\"}"),
                Script.text("Two."));

        env.gateway().openAi().chat().completions().create(params("add").temperature(0.1)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

        assertEquals("required", env.upstream().request(0).body().getString("tool_choice"));
        assertFalse(env.upstream().request(1).body().containsKey("tool_choice"),
                "a forced tool call on every call would never let the agent answer");
        assertEquals(0.1, env.upstream().request(1).body().getJsonNumber("temperature").doubleValue());
    }

    @Test
    void aWrongTypeOrValueIsA400NamingTheParameter() throws Exception {
        assertRefused("\"temperature\":\"hot\"", "temperature", "invalid_type");
        assertRefused("\"max_tokens\":-5", "max_tokens", "invalid_value");
        assertRefused("\"top_p\":1.5", "top_p", "invalid_value");
        assertRefused("\"stop\":[\"a\",1]", "stop", "invalid_type");
        assertRefused("\"response_format\":{\"type\":\"yaml\"}", "response_format.type", "invalid_value");
        assertRefused("\"n\":2", "n", "invalid_value");
        assertRefused("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"calculate\"}}]",
                "tools[0].function.name", "invalid_value");
        assertRefused("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}", "tool_choice",
                "invalid_value");
        assertRefused("\"stream_options\":{\"include_usage\":true}", "stream_options", "invalid_value");
        assertEquals(0, env.upstream().requestCount());
    }

    // --- 4. client tools -----------------------------------------------------------------------------

    @Test
    void aClientToolRoundTripStreamingAndStateless() {
        env.upstream().enqueue(
                Script.toolCall("call_w1", WEATHER, "{\"city\": \"Oslo\"}"),
                Script.text("It is sunny in Oslo."));
        ChatCompletionCreateParams first = params("weather in Oslo?").addFunctionTool(weatherTool()).build();

        ChatCompletionAccumulator turn = accumulate(first);

        ChatCompletion asked = turn.chatCompletion();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, asked.choices().get(0).finishReason());
        ChatCompletionMessageFunctionToolCall call = asked.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertEquals("call_w1", call.id());
        assertEquals(WEATHER, call.function().name());
        assertEquals("{\"city\": \"Oslo\"}", call.function().arguments());
        assertEquals(List.of("calculate", "current_time", "test_recorder", WEATHER).stream().sorted().toList(),
                env.upstream().request(0).toolNames().stream().sorted().toList(),
                "the client's tool beside the server's");

        ChatCompletion answer = env.gateway().openAi().chat().completions().create(first.toBuilder()
                .addMessage(asked.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_w1").content("sunny, 21 C")
                        .build())
                .build());

        assertEquals("It is sunny in Oslo.", answer.choices().get(0).message().content().orElseThrow());
        JsonArray seen = env.upstream().request(1).messages();
        JsonObject assistant = seen.getJsonObject(seen.size() - 2);
        assertEquals("call_w1", assistant.getJsonArray("tool_calls").getJsonObject(0).getString("id"));
        assertEquals("sunny, 21 C", seen.getJsonObject(seen.size() - 1).getString("content"));
        assertEquals("call_w1", seen.getJsonObject(seen.size() - 1).getString("tool_call_id"));
    }

    @Test
    void aClientToolRoundTripInASessionStoresTheRealCallsAndResults() throws Exception {
        String key = "conformance-tools-" + System.nanoTime();
        env.upstream().enqueue(
                Script.toolCall("call_c1", "calculate", "{\"expression\": \"6 * 7\"}"),
                Script.toolCall("call_w2", WEATHER, "{\"city\": \"Bergen\"}"),
                Script.text("42, and rainy in Bergen."));
        ChatCompletionCreateParams first = params("compute, then weather").addFunctionTool(weatherTool())
                .putAdditionalHeader("X-Session-Key", key).build();

        ChatCompletion asked = env.gateway().openAi().chat().completions().create(first);

        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, asked.choices().get(0).finishReason());
        assertTrue(asked.choices().get(0).message().content().isEmpty(), "no progress text in the answer");
        ChatCompletion answer = env.gateway().openAi().chat().completions().create(first.toBuilder()
                .addMessage(asked.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_w2").content("rain").build())
                .build());
        assertEquals("42, and rainy in Bergen.", answer.choices().get(0).message().content().orElseThrow());

        JsonArray transcript = json(env.gateway().get("/v1/sessions/" + key + "/transcript").body())
                .getJsonArray("data");
        List<String> roles = transcript.stream().map(m -> m.asJsonObject().getString("role")).toList();
        assertEquals(List.of("user", "assistant", "tool", "assistant", "tool", "assistant"), roles,
                transcript.toString());
        assertEquals("call_c1", transcript.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0)
                .getString("id"));
        assertEquals("42", transcript.getJsonObject(2).getString("content"));
        assertEquals("call_w2", transcript.getJsonObject(3).getJsonArray("tool_calls").getJsonObject(0)
                .getString("id"));
        assertEquals("rain", transcript.getJsonObject(4).getString("content"));
        assertEquals("42, and rainy in Bergen.", transcript.getJsonObject(5).getString("content"));
        for (var message : transcript) {
            assertFalse(message.toString().contains("[tool]"), "never progress text: " + message);
        }
        // The model's third call saw the stored calls and results, not the client's copy of them.
        JsonArray third = env.upstream().request(2).messages();
        assertEquals("rain", third.getJsonObject(third.size() - 1).getString("content"));
        assertEquals("42", third.getJsonObject(third.size() - 3).getString("content"));
    }

    @Test
    void aReplyCallingServerAndClientToolsReturnsOnlyTheClientCallsAndRunsNone() {
        env.upstream().enqueue(Script.toolCalls("tool_calls",
                new Call("call_s", io.agentgate.testing.RecordingTool.NAME, "{\"note\": \"x\"}"),
                new Call("call_c", WEATHER, "{\"city\": \"Rome\"}")));

        ChatCompletion asked = env.gateway().openAi().chat().completions().create(
                params("both").addFunctionTool(weatherTool()).build());

        var calls = asked.choices().get(0).message().toolCalls().orElseThrow();
        assertEquals(1, calls.size());
        assertEquals("call_c", calls.get(0).asFunction().id());
        assertTrue(env.gateway().recordingTool().calls().isEmpty(), "the server tool of that reply did not run");
    }

    @Test
    void toolStepsStreamAsReasoningContentNeverAsContent() throws Exception {
        env.upstream().enqueue(Script.toolCall("call_1", "calculate", "{\"expression\":\n \"6 * 7\"}"),
                Script.text("It is 42."));

        HttpResponse<String> response = env.gateway().postJson("/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"six times seven\"}]}");

        StringBuilder content = new StringBuilder();
        StringBuilder steps = new StringBuilder();
        for (String frame : dataLines(response.body())) {
            if (!frame.equals("[DONE]")) {
                for (var choice : json(frame).getJsonArray("choices")) {
                    JsonObject delta = choice.asJsonObject().getJsonObject("delta");
                    content.append(delta.getString("content", ""));
                    steps.append(delta.getString("reasoning_content", ""));
                }
            }
        }
        assertEquals("It is 42.", content.toString());
        assertEquals("calculate {\"expression\": \"6 * 7\"}\n", steps.toString(), "one line per step");
    }

    // --- 5. status mapping ---------------------------------------------------------------------------

    @Test
    void upstreamStatusesMapToWhatTheSdksUnderstand() throws Exception {
        env.upstream().enqueue(rateLimited(), rateLimited(), rateLimited());
        HttpResponse<String> limited = post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElse(null));
        assertEquals("false", limited.headers().firstValue("x-should-retry").orElse(null));
        assertEquals(3, env.upstream().requestCount(), "the gateway retried; the client should not");

        env.upstream().reset();
        env.upstream().enqueue(Script.status(401, "{\"error\":{\"message\":\"bad key sk-leaked-123\"}}"));
        HttpResponse<String> refused = post("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(502, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("credentials"), refused.body());
        assertFalse(refused.body().contains("sk-leaked"), refused.body());

        env.upstream().reset();
        for (int i = 0; i < 3; i++) {
            env.upstream().enqueue(Script.status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        }
        HttpResponse<String> down = post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(502, down.statusCode(), down.body());
        assertEquals("false", down.headers().firstValue("x-should-retry").orElse(null));
    }

    @Test
    void modelById() throws Exception {
        HttpResponse<String> known = env.gateway().get("/v1/models/" + upstreamModel());
        assertEquals(200, known.statusCode());
        assertEquals(upstreamModel(), json(known.body()).getString("id"));
        assertEquals("model", json(known.body()).getString("object"));
        assertEquals(upstreamModel(), env.gateway().openAi().models().retrieve(upstreamModel()).id());

        HttpResponse<String> unknown = env.gateway().get("/v1/models/gpt-nothing");
        assertEquals(404, unknown.statusCode());
        assertEquals("model_not_found", json(unknown.body()).getJsonObject("error").getString("code"));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static String upstreamModel() {
        return io.agentgate.testing.FakeUpstream.MODEL;
    }

    private static Script rateLimited() {
        return Script.status(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "7");
    }

    private static FunctionDefinition weatherTool() {
        return FunctionDefinition.builder().name(WEATHER).description("Current weather of a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
    }

    private static ChatCompletionCreateParams.Builder params(String userText) {
        return ChatCompletionCreateParams.builder().model("any-client-model").addUserMessage(userText);
    }

    private static ChatCompletionAccumulator accumulate(ChatCompletionCreateParams params) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream =
                     env.gateway().openAi().chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator;
    }

    private static void assertRefused(String member, String param, String code) throws Exception {
        HttpResponse<String> response = post("{" + member + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(400, response.statusCode(), member + " -> " + response.body());
        JsonObject error = json(response.body()).getJsonObject("error");
        assertEquals(param, error.getString("param"), response.body());
        assertEquals(code, error.getString("code"), response.body());
        assertEquals("invalid_request_error", error.getString("type"));
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return env.gateway().postJson("/v1/chat/completions", body);
    }

    private static List<String> dataLines(String body) {
        List<String> out = new ArrayList<>();
        body.lines().filter(l -> l.startsWith("data: ")).forEach(l -> out.add(l.substring(6)));
        return out;
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
