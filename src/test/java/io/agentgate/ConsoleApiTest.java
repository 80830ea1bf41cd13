package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.FakeUpstreamGateway;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JSON endpoints behind the web console: {@code GET /v1/runs}, {@code GET /v1/sessions} and a
 * session's {@code /transcript} and {@code /memory}: filters, keyset paging, auth and refusals.
 */
class ConsoleApiTest {

    private static final String KEY = "console-api-key-42";

    @RegisterExtension
    static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of("AGENTGATE_API_KEY", KEY));

    @Test
    void runsAreListedNewestFirstFilteredByOutcomeAndKeyAndPagedByCursor() throws Exception {
        chat("alpha", "one", Script.text("A one."));
        chat("alpha", "two", Script.text("A two."));
        chat("beta", "fails", Script.status(400, "{\"error\":{\"message\":\"bad request upstream\"}}"));
        chat("alpha", "three", Script.text("A three."));
        chat("alpha", "four", Script.text("A four."));
        chat(null, "stateless", Script.text("No key."));
        awaitEnded(6);

        List<JsonObject> all = data(getOk("/v1/runs"));
        assertEquals(6, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertFalse(Instant.parse(all.get(i).getString("started_at"))
                    .isAfter(Instant.parse(all.get(i - 1).getString("started_at"))), "newest first");
        }
        JsonObject newest = all.getFirst();
        assertEquals(JsonValue.NULL, newest.get("session_key"), "the stateless run came last");
        assertEquals("completed", newest.getString("outcome"));

        List<JsonObject> failed = data(getOk("/v1/runs?outcome=failed"));
        assertEquals(1, failed.size());
        JsonObject failure = failed.getFirst();
        assertEquals("upstream_error", failure.getString("outcome"));
        assertEquals("beta", failure.getString("session_key"));
        assertTrue(failure.getString("error_message").contains("HTTP 400"), failure.toString());
        assertTrue(failure.getJsonNumber("duration_ms").longValue() >= 0);
        assertEquals(ids(failed), ids(data(getOk("/v1/runs?outcome=upstream_error"))));
        assertEquals(List.of(), data(getOk("/v1/runs?outcome=running")));
        assertEquals(List.of(), data(getOk("/v1/runs?outcome=timeout")));

        List<String> alpha = ids(data(getOk("/v1/runs?outcome=completed&session_key=alpha")));
        assertEquals(4, alpha.size());
        JsonObject first = getOk("/v1/runs?session_key=alpha&limit=3");
        assertTrue(first.getBoolean("has_more"));
        JsonObject second = getOk("/v1/runs?session_key=alpha&limit=3&cursor=" + first.getString("next"));
        assertFalse(second.getBoolean("has_more"));
        assertEquals(JsonValue.NULL, second.get("next"));
        List<String> paged = new ArrayList<>(ids(data(first)));
        paged.addAll(ids(data(second)));
        assertEquals(alpha, paged, "two pages hold the same runs in the same order as one");

        // A run that starts after the first page was read does not shift the second page.
        chat("alpha", "five", Script.text("A five."));
        awaitEnded(7);
        assertEquals(ids(data(second)),
                ids(data(getOk("/v1/runs?session_key=alpha&limit=3&cursor=" + first.getString("next")))));
    }

    @Test
    void sessionsAreListedByLastActivityWithTheirTranscriptAndMemory() throws Exception {
        chat("s1", "hello one", Script.text("Hi one."));
        chat("s2", "hello two", Script.text("Hi two."));
        chat("s3", "hello three", Script.text("Hi three."));
        chat("s2", "again two", Script.text("Hi again."));

        JsonObject page = getOk("/v1/sessions?limit=2");
        assertEquals(List.of("s2", "s3"), keys(data(page)), "most recently active first");
        JsonObject next = getOk("/v1/sessions?limit=2&cursor=" + page.getString("next"));
        assertEquals("s1", keys(data(next)).getFirst());
        JsonObject s2 = data(page).getFirst();
        assertEquals(4, s2.getInt("message_count"));
        assertFalse(s2.getBoolean("running"));
        assertFalse(s2.getBoolean("suspended"));

        JsonObject transcript = getOk("/v1/sessions/s2/transcript?limit=3");
        assertEquals(List.of("user", "assistant", "user"), data(transcript).stream()
                .map(m -> m.getString("role")).toList());
        assertEquals("hello two", data(transcript).getFirst().getString("content"));
        JsonObject rest = getOk("/v1/sessions/s2/transcript?limit=3&cursor=" + transcript.getString("next"));
        assertEquals(List.of("Hi again."), data(rest).stream().map(m -> m.getString("content")).toList());
        assertFalse(rest.getBoolean("has_more"));

        assertEquals(List.of(), data(getOk("/v1/sessions/s2/memory")), "no notes before a reset");
        String oldSessionId = s2.getString("session_id");
        env.upstream().enqueue(Script.text("The user greeted twice."));
        assertEquals(200, send("DELETE", "/v1/sessions/s2").statusCode());

        List<JsonObject> notes = data(getOk("/v1/sessions/s2/memory"));
        assertEquals(1, notes.size());
        assertEquals("The user greeted twice.", notes.getFirst().getString("notes"));
        assertEquals(oldSessionId, notes.getFirst().getString("source_session_id"));
        assertEquals(List.of(), data(getOk("/v1/sessions/s2/transcript")), "the fresh session is empty");

        HttpResponse<String> stale = get("/v1/sessions/s2/transcript?limit=3&cursor=" + transcript.getString("next"));
        assertEquals(400, stale.statusCode());
        assertEquals("stale_cursor", error(stale).getString("code"));

        for (String path : List.of("/v1/sessions/nobody/transcript", "/v1/sessions/nobody/memory")) {
            HttpResponse<String> missing = get(path);
            assertEquals(404, missing.statusCode(), path);
            assertEquals("session_not_found", error(missing).getString("code"));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/runs?limit=0, limit",
            "/v1/runs?limit=201, limit",
            "/v1/runs?limit=ten, limit",
            "/v1/runs?outcome=crashed, outcome",
            "/v1/runs?cursor=not-a-cursor, cursor",
            "/v1/runs?cursor=eAp5, cursor",
            "/v1/sessions?limit=-1, limit",
            "/v1/sessions?cursor=!!!, cursor",
            "/v1/sessions/s1/transcript?limit=501, limit",
            "/v1/sessions/s1/transcript?cursor=YWJj, cursor",
            "/v1/sessions/s1/memory?cursor=eA, cursor",
    })
    void badParametersGetAnOpenAiError(String path, String param) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonObject error = error(response);
        assertEquals(param, error.getString("param"));
        assertEquals("invalid_request_error", error.getString("type"));
        assertFalse(error.getString("message").isBlank());
    }

    @Test
    void tooLongSessionKeyFilterAndWrongMethodsAreRefused() throws Exception {
        HttpResponse<String> longKey = get("/v1/runs?session_key=" + "k".repeat(257));
        assertEquals(400, longKey.statusCode());
        assertEquals("session_key", error(longKey).getString("param"));

        for (String path : List.of("/v1/runs", "/v1/sessions")) {
            HttpResponse<String> post = send("POST", path);
            assertEquals(405, post.statusCode(), path);
            assertEquals("method_not_allowed", error(post).getString("code"));
            assertEquals("GET, HEAD, OPTIONS", post.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void listingsNeedTheApiKey() throws Exception {
        for (String path : List.of("/v1/runs", "/v1/sessions", "/v1/sessions/s1/transcript", "/v1/sessions/s1/memory")) {
            HttpResponse<String> none = env.gateway().get(path);
            assertEquals(401, none.statusCode(), path);
            assertEquals("invalid_api_key", error(none).getString("code"));
            HttpResponse<String> wrong = env.gateway().http().send(HttpRequest.newBuilder(env.gateway().uri(path))
                    .header("Authorization", "Bearer not-" + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode(), path);
        }
    }

    @Test
    void cursorsAreOpaqueButCarryNoSecrets() throws Exception {
        chat("gamma", "one", Script.text("G one."));
        chat("gamma", "two", Script.text("G two."));
        awaitEnded(2);
        String cursor = getOk("/v1/runs?session_key=gamma&limit=1").getString("next");
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        assertFalse(decoded.contains(KEY));
        assertEquals(1, data(getOk("/v1/runs?session_key=gamma&limit=1&cursor="
                + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).size());
    }

    /** A non-streaming completion on {@code key} (null: stateless) answered by {@code script}. */
    private static void chat(String key, String message, Script script) throws Exception {
        env.upstream().enqueue(script);
        String body = "{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + message + "\"}]}";
        HttpResponse<String> response = key == null
                ? env.gateway().postJson("/v1/chat/completions", body, "Authorization", "Bearer " + KEY)
                : env.gateway().postJson("/v1/chat/completions", body, "Authorization", "Bearer " + KEY,
                        "X-Session-Key", key);
        assertTrue(response.statusCode() == 200 || script.status() != 200, response.body());
    }

    private static void awaitEnded(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> outcomes = env.gateway().runOutcomes();
        while ((outcomes.size() < count || outcomes.contains("running")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            outcomes = env.gateway().runOutcomes();
        }
        assertEquals(count, outcomes.size(), "runs " + outcomes);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return env.gateway().http().send(HttpRequest.newBuilder(env.gateway().uri(path))
                        .header("Authorization", "Bearer " + KEY)
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject getOk(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        JsonObject page = json(response.body());
        assertEquals("list", page.getString("object"));
        return page;
    }

    private static List<JsonObject> data(JsonObject page) {
        JsonArray data = page.getJsonArray("data");
        return data.getValuesAs(JsonObject.class);
    }

    private static List<String> ids(List<JsonObject> runs) {
        return runs.stream().map(r -> r.getString("run_id")).toList();
    }

    private static List<String> keys(List<JsonObject> sessions) {
        return sessions.stream().map(s -> s.getString("session_key")).toList();
    }

    private static JsonObject error(HttpResponse<String> response) {
        return json(response.body()).getJsonObject("error");
    }

    private static JsonObject json(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }
}
