package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentgate.testing.FakeModel;
import io.agentgate.testing.FakeUpstream;
import io.agentgate.testing.FakeUpstream.Script;
import io.agentgate.testing.TestGateway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official openai-node SDK (from npm) against a real gateway: a normal stream reads as text
 * with finish_reason stop, a crashed agent's error frame makes the SDK's stream raise, and with the
 * SDK's default retry settings a failing upstream is called only as often as the gateway retries.
 */
class NodeSdkCompatibilityTest {

    private static final String SDK_VERSION = "6.49.0";
    private static final Path SDK_DIR = Path.of("target", "node-sdk");

    @Test
    void openaiNodeRaisesOnTheErrorFrameAndReadsNormalStreams() throws Exception {
        assumeTrue(commandWorks("node", "--version") && commandWorks("npm", "--version"),
                "node and npm are needed for this check");
        installSdk();
        FakeModel model = new FakeModel()
                .on("crash", (call, sink, m) -> {
                    FakeModel.say(sink, "partial");
                    throw new IllegalStateException("boom");
                });
        try (TestGateway gateway = TestGateway.start(Map.of(), model)) {
            Path script = SDK_DIR.resolve("sdk-check.mjs");
            Files.copy(Path.of("src/test/node/sdk-check.mjs"), script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String out = run(List.of("node", script.toAbsolutePath().toString(), gateway.baseUri() + "v1"), SDK_DIR.toFile());
            JsonObject result = Json.createReader(new StringReader(out.lines().reduce((a, b) -> b).orElse("{}")))
                    .readObject();
            JsonObject ok = result.getJsonObject("ok");
            assertEquals("hello from node", ok.getString("text"), out);
            assertEquals("stop", ok.getString("finish"), out);
            assertTrue(ok.isNull("raised"), out);

            JsonObject crash = result.getJsonObject("crash");
            assertEquals("partial", crash.getString("text"), out);
            assertTrue(crash.isNull("finish"), "no finish_reason for a crash: " + out);
            assertEquals("APIError", crash.getJsonObject("raised").getString("name"), out);
        }
    }

    /**
     * One request with openai-node's defaults (maxRetries 2) against a failing upstream: the error
     * class the application sees, and how many times the upstream was called. Before issue 11 a
     * non-streaming request against a 5xx upstream made 9 upstream calls (3 SDK tries x 3 gateway
     * attempts); x-should-retry: false leaves the gateway's own 3.
     */
    @Test
    void openaiNodeDefaultRetriesDoNotMultiplyUpstreamCalls() throws Exception {
        Path script = nodeScript("retry-check.mjs");
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(upstream.gatewaySettings())) {
            String base = gateway.baseUri() + "v1";
            for (String mode : List.of("whole", "stream")) {
                upstream.reset(); // no script: every call answers 500
                JsonObject failed = nodeRun(script, base, mode);
                assertEquals("InternalServerError", failed.getString("name"), mode + ": " + failed);
                assertEquals(502, failed.getInt("status"), mode + ": " + failed);
                assertEquals(3, upstream.requestCount(), mode + ": the gateway's three attempts only");
            }

            upstream.reset();
            for (int i = 0; i < 3; i++) {
                upstream.enqueue(Script.status(429, "{\"error\":{\"message\":\"slow down\"}}")
                        .withHeader("Retry-After", "1"));
            }
            JsonObject limited = nodeRun(script, base, "stream");
            assertEquals("RateLimitError", limited.getString("name"), limited.toString());
            assertEquals("1", limited.getString("retryAfter"), limited.toString());
            assertEquals(3, upstream.requestCount());

            upstream.reset();
            upstream.enqueue(Script.status(400, "{\"error\":{\"message\":\"context too long\"}}"));
            JsonObject refused = nodeRun(script, base, "stream");
            assertEquals("BadRequestError", refused.getString("name"), refused.toString());
            assertEquals(1, upstream.requestCount());
        }
    }

    /**
     * openai-node's {@code runTools} with a client function: the gateway returns the model's call of
     * it as {@code tool_calls}, the SDK runs the function and sends the result, and the model's next
     * call sees it. Streaming and stateless, then non-streaming in a session whose stored transcript
     * holds the call and the result.
     */
    @Test
    void openaiNodeRunToolsCallsTheClientsFunction() throws Exception {
        Path script = nodeScript("run-tools.mjs");
        try (FakeUpstream upstream = FakeUpstream.start();
             TestGateway gateway = TestGateway.start(upstream.gatewaySettings())) {
            String base = gateway.baseUri() + "v1";
            String key = "node-run-tools";
            for (List<String> args : List.of(List.of(base, "stream"), List.of(base, "whole", key))) {
                upstream.reset();
                upstream.enqueue(Script.toolCall("call_n1", "get_weather", "{\"city\": \"Paris\"}"),
                        Script.text("Sunny in Paris."));
                JsonObject result = nodeRun(script, args);
                assertEquals("Paris", result.getJsonArray("calls").getJsonObject(0).getString("city"), args + ": " + result);
                assertEquals("Sunny in Paris.", result.getString("content"), args + ": " + result);
                JsonObject toolResult = upstream.request(1).lastMessage();
                assertEquals("call_n1", toolResult.getString("tool_call_id"));
                assertEquals("sunny, 24 C in Paris", toolResult.getString("content"));
            }
            String transcript = gateway.get("/v1/sessions/" + key + "/transcript").body();
            assertTrue(transcript.contains("\"tool_call_id\":\"call_n1\"") && transcript.contains("sunny, 24 C in Paris")
                    && transcript.contains("Sunny in Paris."), transcript);
        }
    }

    /** The SDK installed and this script of src/test/node beside it, ready to run. */
    private static Path nodeScript(String name) throws Exception {
        assumeTrue(commandWorks("node", "--version") && commandWorks("npm", "--version"),
                "node and npm are needed for this check");
        installSdk();
        Path script = SDK_DIR.resolve(name);
        Files.copy(Path.of("src/test/node", name), script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return script;
    }

    private static JsonObject nodeRun(Path script, String base, String mode) throws Exception {
        return nodeRun(script, List.of(base, mode));
    }

    private static JsonObject nodeRun(Path script, List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node", script.toAbsolutePath().toString()));
        command.addAll(args);
        String out = run(command, SDK_DIR.toFile());
        return Json.createReader(new StringReader(out.lines().reduce((a, b) -> b).orElse("{}"))).readObject();
    }

    private static void installSdk() throws Exception {
        if (Files.isDirectory(SDK_DIR.resolve("node_modules/openai"))) {
            return;
        }
        Files.createDirectories(SDK_DIR);
        Files.writeString(SDK_DIR.resolve("package.json"), "{\"name\":\"sdk-check\",\"private\":true,\"type\":\"module\"}");
        run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent", "openai@" + SDK_VERSION), SDK_DIR.toFile());
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(List<String> command, File dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + command);
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }
}
