package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.agentgate.testing.FakeUpstreamGateway;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.RecordingTool;
import io.agentgate.testing.RunsTable;
import io.agentgate.testing.TestGateway;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits that need their own settings: a short idle-read timeout against an upstream that
 * hangs, the iteration cap, and an upstream that is not there at all.
 */
class UpstreamLimitsTest {

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of(
            "AGENTGATE_UPSTREAM_READ_TIMEOUT_SECONDS", "1",
            "AGENTGATE_MAX_ITERATIONS", "2"));

    @Test
    void upstreamThatNeverAnswersIsATimeout() throws Exception {
        env.upstream().enqueue(Script.hang());

        InternalServerException e = assertThrows(InternalServerException.class,
                () -> env.gateway().openAi().chat().completions().create(AgentLoopTest.params("hello?")));

        assertEquals(504, e.statusCode());
        assertEquals("timeout", e.code().orElseThrow());
        assertEquals(1, env.upstream().requestCount(), "a timeout is not retried");
        RunsTable.assertOnlyRun(env.gateway(), "timeout");
    }

    @Test
    void upstreamThatGoesSilentMidStreamIsATimeout() throws Exception {
        env.upstream().enqueue(Script.text("first words then silence").hangAfter(3));
        StringBuilder text = new StringBuilder();

        OpenAIServiceException e = assertThrows(OpenAIServiceException.class, () -> {
            try (StreamResponse<ChatCompletionChunk> stream = env.gateway().openAi().chat().completions()
                    .createStreaming(AgentLoopTest.params("talk"))) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
        });

        assertEquals("timeout", e.code().orElseThrow());
        assertEquals("first words ", text.toString());
        RunsTable.assertOnlyRun(env.gateway(), "timeout");
    }

    @Test
    void theReadTimeoutIsAnIdleTimeoutNotALimitOnTheWholeStream() throws Exception {
        // 40 words 40 ms apart: 1.6 s in all, never 1 s of silence.
        env.upstream().enqueue(Script.text("tick ".repeat(40).trim()).withDelay(Duration.ofMillis(40)));

        ChatCompletion completion = env.gateway().openAi().chat().completions().create(AgentLoopTest.params("slow"));

        assertEquals("tick ".repeat(40).trim(), completion.choices().get(0).message().content().orElseThrow());
        RunsTable.assertOnlyRun(env.gateway(), "completed");
    }

    @Test
    void theIterationCapEndsAnEndlessToolLoop() throws Exception {
        env.upstream().enqueue(
                Script.toolCall("call_1", RecordingTool.NAME, "{\"note\": \"one\"}"),
                Script.toolCall("call_2", RecordingTool.NAME, "{\"note\": \"two\"}"));

        ChatCompletion completion = env.gateway().openAi().chat().completions().create(AgentLoopTest.params("loop"));

        assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, completion.choices().get(0).finishReason());
        assertTrue(completion.choices().get(0).message().content().orElseThrow()
                .endsWith("Stopped after 2 model calls without a final answer (AGENTGATE_MAX_ITERATIONS)."));
        assertEquals(2, env.upstream().requestCount());
        assertEquals(2, env.gateway().recordingTool().calls().size());
        RunsTable.assertOnlyRun(env.gateway(), "completed");
    }

    @Test
    void unreachableUpstreamIsRetriedThenAnUpstreamError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(env.upstream().gatewaySettings());
        settings.put("AGENTGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:" + closedPort + "/v1");
        try (TestGateway unreachable = TestGateway.start(settings)) {
            InternalServerException e = assertThrows(InternalServerException.class,
                    () -> unreachable.openAi().chat().completions().create(AgentLoopTest.params("hi")));

            assertEquals(502, e.statusCode());
            assertEquals("upstream_error", e.code().orElseThrow());
            assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
            assertTrue(!e.getMessage().contains(String.valueOf(closedPort)), "no internal address leaks");
            RunsTable.assertOnlyRun(unreachable, "upstream_error");
        }
    }
}
