package io.agentgate.session;

import io.agentgate.http.SessionProtocol;
import com.openai.client.OpenAIClient;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgate.testing.TestDatabase;
import io.agentgate.testing.TestGateway;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** Session requests through the official OpenAI Java SDK, and direct SQL on a gateway's database. */
final class SessionCalls {

    private SessionCalls() {}

    /** What a client saw: the assistant text (or the stream's error), and the response headers. */
    record Reply(String content, Headers headers, RuntimeException error) {
        String header(String name) {
            return headers.values(name).stream().findFirst().orElse(null);
        }
    }

    static ChatCompletionCreateParams params(String key, String text) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model("demo").addUserMessage(text);
        if (key != null) {
            b.putAdditionalHeader(SessionProtocol.KEY_HEADER, key);
        }
        return b.build();
    }

    static Reply send(TestGateway gateway, String key, String text) {
        return send(gateway.openAi(), key, text);
    }

    static Reply send(OpenAIClient client, String key, String text) {
        try (HttpResponseFor<ChatCompletion> response =
                     client.chat().completions().withRawResponse().create(params(key, text))) {
            return new Reply(response.parse().choices().getFirst().message().content().orElse(""),
                    response.headers(), null);
        }
    }

    /** A streaming request read to its end; a stream that ends with an error frame keeps the error. */
    static Reply stream(TestGateway gateway, String key, String text) {
        StringBuilder content = new StringBuilder();
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
                     gateway.openAi().chat().completions().withRawResponse().createStreaming(params(key, text))) {
            try (StreamResponse<ChatCompletionChunk> chunks = response.parse()) {
                chunks.stream().forEach(chunk -> chunk.choices()
                        .forEach(c -> c.delta().content().ifPresent(content::append)));
            } catch (RuntimeException e) {
                return new Reply(content.toString(), response.headers(), e);
            }
            return new Reply(content.toString(), response.headers(), null);
        }
    }

    static CompletableFuture<Reply> streamInBackground(TestGateway gateway, String key, String text) {
        return CompletableFuture.supplyAsync(() -> stream(gateway, key, text),
                Executors.newVirtualThreadPerTaskExecutor());
    }

    /** Settings for gateways that share one fresh database, plus extra settings as name, value pairs. */
    static Map<String, String> sharedDatabase(String... extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("AGENTGATE_DB_URL", TestDatabase.freshDatabaseUrl());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    static int update(TestGateway gateway, String sql, Object... params) throws Exception {
        try (Connection c = gateway.db(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            return st.executeUpdate();
        }
    }

    static Object value(TestGateway gateway, String sql, Object... params) throws Exception {
        try (Connection c = gateway.db(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }
}
