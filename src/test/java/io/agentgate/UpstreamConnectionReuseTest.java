package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.agentgate.testing.FakeUpstream.Received;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway keeps its upstream connections (issue 16): a stream that ended with {@code [DONE]}
 * leaves its connection in the pool, so the next call does not pay a TCP connect (and, against a
 * real provider, a TLS handshake).
 */
class UpstreamConnectionReuseTest {

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of());

    @Test
    void oneAfterAnotherStreamingAndWholeCompletionsShareOneUpstreamConnection() {
        env.upstream().enqueue(Script.text("one"), Script.text("two"), Script.text("three"), Script.text("four"));
        for (int i = 0; i < 2; i++) {
            env.gateway().openAi().chat().completions().create(AgentLoopTest.params("whole " + i));
            try (StreamResponse<ChatCompletionChunk> stream = env.gateway().openAi().chat().completions()
                    .createStreaming(AgentLoopTest.params("stream " + i))) {
                stream.stream().forEach(chunk -> {});
            }
        }
        List<String> connections = env.upstream().requests().stream().map(Received::connection).toList();
        assertEquals(4, connections.size());
        assertEquals(1, connections.stream().distinct().count(), "upstream connections used: " + connections);
    }
}
