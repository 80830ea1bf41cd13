package io.agentgate.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A scriptable OpenAI-compatible upstream for tests: a real HTTP server on a loopback port that
 * answers each {@code POST …/v1/chat/completions} with the next queued {@link Script} — real SSE
 * with chunk JSON built by JSON-P, or an error status, a hang, a cut connection — and records every
 * request it received.
 *
 * <pre>
 * try (FakeUpstream upstream = FakeUpstream.start();
 *      TestGateway gateway = TestGateway.start(upstream.gatewaySettings())) {
 *     upstream.enqueue(Script.toolCall("call_1", "calculate", "{\"expression\":\"6*7\"}"),
 *                      Script.text("It is 42."));
 *     …
 *     assertEquals("42", upstream.request(1).lastMessage().getString("content"));
 * }
 * </pre>
 * A request with no script left gets a 500 (and is recorded), so an unexpected extra call shows.
 */
public final class FakeUpstream implements AutoCloseable {

    public static final String MODEL = "fake-model";
    public static final String API_KEY = "sk-fake-upstream-key-123456";

    private final Server server;
    private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile CountDownLatch aborted = new CountDownLatch(1);

    private FakeUpstream(Server server) {
        this.server = server;
    }

    public static FakeUpstream start() {
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        server.setStopTimeout(1000);
        FakeUpstream upstream = new FakeUpstream(server);
        server.setHandler(upstream.new ScriptedHandler());
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start", e);
        }
        return upstream;
    }

    /** The SDK-style base URL, with {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/v1";
    }

    /** Settings that point a {@link TestGateway} at this upstream. */
    public Map<String, String> gatewaySettings() {
        return Map.of("AGENTGATE_UPSTREAM_BASE_URL", baseUrl(),
                "AGENTGATE_UPSTREAM_API_KEY", API_KEY,
                "AGENTGATE_MODEL", MODEL);
    }

    public FakeUpstream enqueue(Script... next) {
        scripts.addAll(List.of(next));
        return this;
    }

    /** Forgets queued scripts and received requests (between tests sharing one upstream). */
    public void reset() {
        scripts.clear();
        requests.clear();
        aborted = new CountDownLatch(1);
    }

    public List<Received> requests() {
        return List.copyOf(requests);
    }

    public Received request(int index) {
        return requests.get(index);
    }

    public int requestCount() {
        return requests.size();
    }

    /** True once a response write failed because the client (the gateway) closed the connection. */
    public boolean awaitClientAbort(Duration timeout) throws InterruptedException {
        return aborted.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        released.countDown();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One request as the upstream received it; {@code connection} names the TCP connection it came on. */
    public record Received(String path, String authorization, JsonObject body, String connection) {

        public JsonArray messages() {
            return body.getJsonArray("messages");
        }

        public JsonObject lastMessage() {
            return messages().getJsonObject(messages().size() - 1);
        }

        public JsonObject message(int fromEnd) {
            return messages().getJsonObject(messages().size() - 1 - fromEnd);
        }

        public List<String> toolNames() {
            if (!body.containsKey("tools")) {
                return List.of();
            }
            return body.getJsonArray("tools").stream()
                    .map(t -> t.asJsonObject().getJsonObject("function").getString("name"))
                    .toList();
        }
    }

    /** What the upstream does with one request. Build with the static factories. */
    public record Script(int status, String errorBody, List<String> events, Ending ending, Duration delay,
                         Map<String, String> headers) {

        public Script {
            headers = Map.copyOf(headers);
        }

        Script(int status, String errorBody, List<String> events, Ending ending, Duration delay) {
            this(status, errorBody, events, ending, delay, Map.of());
        }

        public enum Ending {
            /** {@code data: [DONE]} and a clean end of the response. */
            DONE,
            /** A clean end of the response without {@code [DONE]}. */
            CLOSE,
            /** The connection is aborted mid-response (no terminating chunk). */
            CUT,
            /** Half a line ({@code data: {"choi}) without its line end, then a clean end of the response. */
            CLOSE_MID_LINE,
            /** Nothing more is sent until the upstream is closed. */
            HANG,
            /** Not even the response headers are sent until the upstream is closed. */
            HANG_BEFORE_HEADERS
        }

        /** A complete answer, streamed a word at a time, with {@code finish_reason: stop}. */
        public static Script text(String text) {
            return text(text, "stop");
        }

        /** A complete stream of {@code text} ending with the given finish reason (e.g. {@code length}). */
        public static Script text(String text, String finishReason) {
            List<String> events = new ArrayList<>();
            events.add(Chunks.role());
            for (String piece : text.split("(?<=\\s)")) {
                if (!piece.isEmpty()) {
                    events.add(Chunks.content(piece));
                }
            }
            events.add(Chunks.finish(finishReason));
            events.add(Chunks.usage(10, text.isBlank() ? 0 : text.trim().split("\\s+").length));
            return new Script(200, null, events, Ending.DONE, Duration.ZERO);
        }

        /** One tool call, its arguments sent in two fragments, with {@code finish_reason: tool_calls}. */
        public static Script toolCall(String id, String name, String arguments) {
            return toolCalls("tool_calls", new Call(id, name, arguments));
        }

        public static Script toolCalls(String finishReason, Call... calls) {
            List<String> events = new ArrayList<>();
            events.add(Chunks.role());
            for (int i = 0; i < calls.length; i++) {
                Call call = calls[i];
                int half = call.arguments().length() / 2;
                events.add(Chunks.toolCallStart(i, call.id(), call.name(), call.arguments().substring(0, half)));
                events.add(Chunks.toolCallArguments(i, call.arguments().substring(half)));
            }
            events.add(Chunks.finish(finishReason));
            events.add(Chunks.usage(10, 5));
            return new Script(200, null, events, Ending.DONE, Duration.ZERO);
        }

        /** Exactly these SSE data payloads (see {@link Chunks}), then {@code [DONE]}. */
        public static Script events(String... events) {
            return new Script(200, null, List.of(events), Ending.DONE, Duration.ZERO);
        }

        /** A non-2xx answer with a body (e.g. an OpenAI error object). */
        public static Script status(int status, String body) {
            return new Script(status, body, List.of(), Ending.CLOSE, Duration.ZERO);
        }

        /** A 200 stream whose first event is an OpenAI error object. */
        public static Script errorFrame(String message) {
            return events(Json.createObjectBuilder().add("error", Json.createObjectBuilder()
                    .add("message", message).add("type", "server_error")).build().toString());
        }

        /** Accepts the request and never answers. */
        public static Script hang() {
            return new Script(200, null, List.of(), Ending.HANG_BEFORE_HEADERS, Duration.ZERO);
        }

        /** Sends the first {@code n} events, then aborts the connection. */
        public Script cutAfter(int n) {
            return new Script(status, errorBody, events.subList(0, n), Ending.CUT, delay, headers);
        }

        /** Sends the first {@code n} events, then ends the response cleanly without a finish. */
        public Script closeAfter(int n) {
            return new Script(status, errorBody, events.subList(0, n), Ending.CLOSE, delay, headers);
        }

        /** Sends the first {@code n} events and half a line, then ends the response cleanly. */
        public Script closeMidLineAfter(int n) {
            return new Script(status, errorBody, events.subList(0, n), Ending.CLOSE_MID_LINE, delay);
        }

        /** Sends the first {@code n} events, then goes silent. */
        public Script hangAfter(int n) {
            return new Script(status, errorBody, events.subList(0, n), Ending.HANG, delay, headers);
        }

        /** Waits this long before each event after the first. */
        public Script withDelay(Duration between) {
            return new Script(status, errorBody, events, ending, between, headers);
        }

        /** Sends this response header too (e.g. {@code Retry-After} with a 429). */
        public Script withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Script(status, errorBody, events, ending, delay, more);
        }
    }

    public record Call(String id, String name, String arguments) {}

    /** OpenAI {@code chat.completion.chunk} payloads, built with JSON-P. */
    public static final class Chunks {

        private Chunks() {}

        public static String role() {
            return chunk(Json.createObjectBuilder().add("role", "assistant").add("content", ""), null);
        }

        public static String content(String text) {
            return chunk(Json.createObjectBuilder().add("content", text), null);
        }

        public static String reasoning(String text) {
            return chunk(Json.createObjectBuilder().add("reasoning_content", text), null);
        }

        public static String finish(String reason) {
            return chunk(Json.createObjectBuilder(), reason);
        }

        public static String toolCallStart(int index, String id, String name, String arguments) {
            return toolCall(Json.createObjectBuilder().add("index", index).add("id", id).add("type", "function")
                    .add("function", Json.createObjectBuilder().add("name", name).add("arguments", arguments)));
        }

        public static String toolCallArguments(int index, String arguments) {
            return toolCall(Json.createObjectBuilder().add("index", index)
                    .add("function", Json.createObjectBuilder().add("arguments", arguments)));
        }

        public static String usage(int prompt, int completion) {
            return base().add("choices", Json.createArrayBuilder())
                    .add("usage", Json.createObjectBuilder().add("prompt_tokens", prompt)
                            .add("completion_tokens", completion).add("total_tokens", prompt + completion))
                    .build().toString();
        }

        private static String toolCall(JsonObjectBuilder fragment) {
            return chunk(Json.createObjectBuilder().add("tool_calls", Json.createArrayBuilder().add(fragment)), null);
        }

        private static String chunk(JsonObjectBuilder delta, String finishReason) {
            JsonObjectBuilder choice = Json.createObjectBuilder().add("index", 0).add("delta", delta);
            if (finishReason == null) {
                choice.addNull("finish_reason");
            } else {
                choice.add("finish_reason", finishReason);
            }
            JsonArrayBuilder choices = Json.createArrayBuilder().add(choice);
            return base().add("choices", choices).build().toString();
        }

        private static JsonObjectBuilder base() {
            return Json.createObjectBuilder().add("id", "chatcmpl-fake").add("object", "chat.completion.chunk")
                    .add("created", 1_700_000_000L).add("model", MODEL);
        }
    }

    private final class ScriptedHandler extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String body = Content.Source.asString(request);
            JsonObject json;
            try (var reader = Json.createReader(new StringReader(body))) {
                json = reader.readObject();
            }
            requests.add(new Received(request.getHttpURI().getPath(),
                    request.getHeaders().get(HttpHeader.AUTHORIZATION), json,
                    request.getConnectionMetaData().getId()));
            Script script = scripts.poll();
            if (script == null) {
                script = Script.status(500, "{\"error\":{\"message\":\"FakeUpstream: no script left\"}}");
            }
            try {
                play(script, response, callback);
            } catch (IOException e) {
                aborted.countDown();
                callback.failed(e);
            }
            return true;
        }

        private void play(Script script, Response response, Callback callback)
                throws IOException, InterruptedException {
            if (script.ending() == Script.Ending.HANG_BEFORE_HEADERS) {
                released.await();
                callback.failed(new IOException("fake upstream closed"));
                return;
            }
            response.setStatus(script.status());
            script.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            OutputStream out = Content.Sink.asOutputStream(response);
            if (script.status() != 200) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                out.write(script.errorBody().getBytes(StandardCharsets.UTF_8));
                out.close();
                callback.succeeded();
                return;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            for (int i = 0; i < script.events().size(); i++) {
                if (i > 0 && !script.delay().isZero()) {
                    Thread.sleep(script.delay());
                }
                out.write(("data: " + script.events().get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            switch (script.ending()) {
                case DONE -> {
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                    callback.succeeded();
                }
                case CLOSE -> {
                    out.close();
                    callback.succeeded();
                }
                case CLOSE_MID_LINE -> {
                    out.write("data: {\"choi".getBytes(StandardCharsets.UTF_8));
                    out.close();
                    callback.succeeded();
                }
                case CUT -> {
                    // Let the gateway read what was sent first: an abort can reach it as a reset,
                    // and a reset discards whatever it had not read yet, headers included, which
                    // would turn "cut mid-stream" into "failed before answering" (retried).
                    Thread.sleep(250);
                    callback.failed(new IOException("scripted cut"));
                }
                case HANG, HANG_BEFORE_HEADERS -> {
                    released.await();
                    callback.failed(new IOException("fake upstream closed"));
                }
            }
        }
    }
}
