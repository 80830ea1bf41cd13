package io.agentgate.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake OpenAI-compatible model: {@code POST /v1/chat/completions} streams a role chunk, then
 * one content chunk per token with a fixed delay before each (the model "thinking"), a finish
 * chunk with usage and {@code data: [DONE]}; without {@code stream} it answers one JSON body.
 * {@code GET /v1/models} lists one model; {@code GET /bench/stats} counts completions served, so
 * the client can prove the gateway really went upstream.
 */
final class UpstreamServlet extends HttpServlet {

    static final Directive DEFAULTS = new Directive(16, 10);

    private final AtomicLong completions = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        if (req.getRequestURI().endsWith("/bench/stats")) {
            resp.getWriter().write("{\"completions\":" + completions.get() + "}");
        } else if (req.getRequestURI().endsWith("/v1/models")) {
            resp.getWriter().write("{\"object\":\"list\",\"data\":[{\"id\":\"bench-model\",\"object\":\"model\","
                    + "\"created\":0,\"owned_by\":\"bench\"}]}");
        } else {
            resp.sendError(404);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonObject body;
        try (JsonReader reader = Json.createReader(req.getInputStream())) {
            body = reader.readObject();
        }
        completions.incrementAndGet();
        String model = body.getString("model", "bench-model");
        Directive d = Directive.parse(lastUserText(body), DEFAULTS);
        String id = "chatcmpl-fake-" + completions.get();
        if (body.getBoolean("stream", false)) {
            stream(resp, id, model, d);
        } else {
            whole(resp, id, model, d);
        }
    }

    private static void stream(HttpServletResponse resp, String id, String model, Directive d) throws IOException {
        PrintWriter out = OpenAiChunks.open(resp, id, model);
        for (int i = 0; i < d.tokens(); i++) {
            pause(d.delayMs());
            out.write(OpenAiChunks.content(id, model, OpenAiChunks.token(i)));
            out.flush();
        }
        OpenAiChunks.end(out, id, model, d.tokens());
    }

    private static void whole(HttpServletResponse resp, String id, String model, Directive d) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < d.tokens(); i++) {
            pause(d.delayMs());
            text.append(OpenAiChunks.token(i));
        }
        resp.setContentType("application/json");
        resp.getWriter().write("{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":0,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
                + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":"
                + d.tokens() + ",\"total_tokens\":" + (3 + d.tokens()) + "}}");
    }

    private static String lastUserText(JsonObject body) {
        JsonArray messages = body.getJsonArray("messages");
        String text = "";
        if (messages != null) {
            for (JsonValue v : messages) {
                JsonObject m = v.asJsonObject();
                if ("user".equals(m.getString("role", "")) && m.get("content") instanceof jakarta.json.JsonString s) {
                    text = s.getString();
                }
            }
        }
        return text;
    }

    private static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
