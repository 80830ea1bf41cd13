package io.agentgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/** What both WAR deployment tests check once the built WAR is deployed in a container. */
public final class WarDeployment {

    private WarDeployment() {}

    /** The WAR Maven built in this run (see the pom's integration-test execution). */
    public static Path builtWar() {
        String war = System.getProperty("agentgate.war");
        assertTrue(war != null && Files.isRegularFile(Path.of(war)), "built WAR at " + war);
        return Path.of(war);
    }

    private static final int SLOW_BODY_TIMEOUT_SECONDS = 3;

    /**
     * Bodies that never finish hold no container thread in the WAR either: while 50 of them are
     * open, readiness answers within a second, and each gets a 408 JSON error once its deadline passed.
     */
    public static void assertSlowBodiesGet408(URI contextRoot) throws Exception {
        java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                java.net.Socket socket = RawHttp.connect(contextRoot);
                socket.getOutputStream().write(("POST " + contextRoot.getPath() + "v1/chat/completions HTTP/1.1\r\n"
                        + "Host: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                slow.add(socket);
            }
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(contextRoot.resolve("health/ready")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            for (java.net.Socket socket : slow) {
                socket.setSoTimeout((SLOW_BODY_TIMEOUT_SECONDS + 10) * 1000);
                ErrorPages.assertJsonError(RawHttp.read(socket.getInputStream()), 408, "slow body in the WAR");
            }
        } finally {
            for (java.net.Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** Context parameters the deployer sets: the database to use. */
    public static Map<String, String> contextParameters() {
        return Map.of("AGENTGATE_DB_URL", TestDatabase.freshDatabaseUrl(),
                "AGENTGATE_DB_USER", "postgres",
                "AGENTGATE_REQUEST_BODY_TIMEOUT_SECONDS", String.valueOf(SLOW_BODY_TIMEOUT_SECONDS));
    }

    /** Readiness, then a streaming completion read by the OpenAI Java SDK. */
    public static void assertServesStreamingCompletions(URI contextRoot) throws Exception {
        awaitReady(contextRoot, Duration.ofSeconds(60));

        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(contextRoot + "v1").apiKey("unused").maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
        StringBuilder text = new StringBuilder();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("demo").addUserMessage("deployed as a war").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        }
        assertEquals("deployed as a war", text.toString());
        assertEquals("stop", finish);
        assertKeepsASession(contextRoot);
    }

    /**
     * The web console under the context path: its page and modules load from the WAR, its relative
     * API calls reach this deployment, and a message to the demo model streams back as a finished
     * answer.
     */
    public static void assertServesTheConsole(ConsoleBrowser browser, URI contextRoot, String screenshot) {
        browser.open(contextRoot);
        browser.await("models loaded under " + contextRoot,
                d -> !new Select(browser.find("#model")).getOptions().isEmpty());
        browser.find("#prompt").sendKeys("served from the war", Keys.ENTER);
        browser.await("answer finished", d -> "done".equals(browser.find(".turn.assistant").getDomAttribute("data-state")));
        assertEquals("served from the war", browser.find(".turn.assistant .answer").getText());
        assertEquals(List.of(), browser.consoleProblems(), "no failed loads or script errors");
        browser.screenshot(screenshot);
    }

    /**
     * The deployment answers {@code /health} at once and {@code /health/ready} once its database is
     * connected and migrated (in the background: the container's start does not wait for it).
     */
    public static void awaitReady(URI contextRoot, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(contextRoot.resolve("health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), live.body());
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> ready;
        do {
            ready = http.send(HttpRequest.newBuilder(contextRoot.resolve("health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() == 200) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals(200, ready.statusCode(), ready.body());
    }

    /** Durable sessions work in the container too: one key, one session id across requests. */
    private static void assertKeepsASession(URI contextRoot) throws Exception {
        String sessionId = null;
        for (String message : new String[] {"first", "second"}) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(contextRoot.resolve("v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .header("X-Session-Key", "war-session")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"messages\":[{\"role\":\"user\",\"content\":\"" + message + "\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            String id = response.headers().firstValue("X-Session-Id").orElseThrow();
            assertTrue(sessionId == null || sessionId.equals(id), "same session id on the second request");
            sessionId = id;
        }
    }
}
