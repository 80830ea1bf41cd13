package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import io.agentgate.testing.FakeUpstream.Chunks;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import io.agentgate.testing.RunsTable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long lines from the upstream, end to end: one within {@code AGENTGATE_UPSTREAM_MAX_LINE_BYTES}
 * arrives whole, one past it is an {@code upstream_error} "line too long", and a stream closed in
 * the middle of a line is {@code stream_interrupted} (it used to be reported as a timeout).
 */
class UpstreamLinesTest {

    private static final int MAX_LINE = 8 * 1024 * 1024;

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of(
            "AGENTGATE_UPSTREAM_MAX_LINE_BYTES", String.valueOf(MAX_LINE)));

    @Test
    void aFourMiBLineArrivesWhole() throws Exception {
        String big = "y".repeat(4 * 1024 * 1024);
        env.upstream().enqueue(Script.events(Chunks.role(), Chunks.content(big), Chunks.finish("stop")));

        ChatCompletion completion = env.gateway().openAi().chat().completions().create(AgentLoopTest.params("big"));

        assertEquals(big, completion.choices().get(0).message().content().orElseThrow());
        RunsTable.assertOnlyRun(env.gateway(), "completed");
    }

    @Test
    void aLinePastTheMaximumIsAnUpstreamError() throws Exception {
        env.upstream().enqueue(Script.events(Chunks.role(), Chunks.content("z".repeat(MAX_LINE + 1)),
                Chunks.finish("stop")));

        InternalServerException e = assertThrows(InternalServerException.class,
                () -> env.gateway().openAi().chat().completions().create(AgentLoopTest.params("huge")));

        assertEquals(502, e.statusCode());
        assertEquals("upstream_error", e.code().orElseThrow());
        assertTrue(e.getMessage().contains("line too long"), e.getMessage());
        RunsTable.assertOnlyRun(env.gateway(), "upstream_error");
    }

    @Test
    void aCloseInTheMiddleOfALineIsAnInterruptedStream() throws Exception {
        env.upstream().enqueue(Script.text("some words then a cut").closeMidLineAfter(3));

        InternalServerException e = assertThrows(InternalServerException.class,
                () -> env.gateway().openAi().chat().completions().create(AgentLoopTest.params("cut")));

        assertEquals(502, e.statusCode());
        assertEquals("stream_interrupted", e.code().orElseThrow());
        RunsTable.assertOnlyRun(env.gateway(), "stream_interrupted");
    }
}
