package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.agentgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The foundation slice seen from outside: health, schema, models, and both completion paths. */
class FoundationTest {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void healthAndReadinessAnswer() throws Exception {
        HttpResponse<String> alive = gateway.get("/health");
        assertEquals(200, alive.statusCode());
        HttpResponse<String> ready = gateway.get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("\"ready\""), ready.body());
    }

    @Test
    void flywayHistoryShowsTheSessionsMigration() throws Exception {
        try (Connection c = gateway.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
            assertTrue(rs.next(), "V1 is in the Flyway history");
            assertTrue(rs.getBoolean("success"));
        }
        try (Connection c = gateway.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns"
                     + " WHERE table_name = 'sessions' ORDER BY column_name")) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
            assertTrue(columns.containsAll(List.of("session_key", "session_id", "suspended", "updated_at",
                    "memory_flushed", "created_at")), columns.toString());
        }
    }

    @Test
    void modelsListIsReadByTheSdk() {
        List<String> ids = gateway.openAi().models().list().data().stream().map(Model::id).toList();
        assertEquals(List.of("demo"), ids);
    }

    @Test
    void nonStreamingCompletionThroughTheSdk() {
        ChatCompletion completion = gateway.openAi().chat().completions().create(params("echo these four words"));
        assertEquals("echo these four words", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertEquals(4, completion.usage().orElseThrow().completionTokens());
    }

    @Test
    void streamingCompletionThroughTheSdk() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        List<Long> completionTokens = new ArrayList<>();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream =
                     gateway.openAi().chat().completions().createStreaming(params("hello streaming world"))) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.usage().ifPresent(u -> completionTokens.add(u.completionTokens()));
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(finishes::add);
                }
            }
        }
        assertEquals("hello streaming world", text.toString());
        assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), finishes);
        assertEquals(List.of(), completionTokens, "usage only when stream_options.include_usage asks for it");
        assertTrue(chunks >= 5, "role chunk, three deltas and a finish chunk; got " + chunks);
    }

    @Test
    void rawStreamEndsWithDone() throws Exception {
        HttpResponse<String> response = gateway.postJson("/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}");
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        assertNotNull(response.headers().firstValue("X-Accel-Buffering").orElse(null));
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
    }

    static ChatCompletionCreateParams params(String userText) {
        return ChatCompletionCreateParams.builder()
                .model("demo")
                .addUserMessage(userText)
                .build();
    }
}
