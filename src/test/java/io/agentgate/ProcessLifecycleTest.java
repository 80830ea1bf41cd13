package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.ChildGateway;
import io.agentgate.testing.ContainerProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as an operator runs it, in a JVM of its own with the embedded PostgreSQL, stopped with
 * SIGTERM and killed with -9: no client is told success by a cut stream, and no run is left without
 * its end.
 */
class ProcessLifecycleTest {

    private static final int WORD_DELAY_MS = 100;
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void sigtermLetsShortTurnsFinishEndsLongOnesWithAnErrorFrameAndRecordsEveryRun() throws Exception {
        Map<String, String> settings = Map.of(
                "AGENTGATE_DATA_DIR", dataDir.toString(),
                "AGENTGATE_DEMO_WORD_DELAY_MS", String.valueOf(WORD_DELAY_MS),
                "AGENTGATE_SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE.toSeconds()));
        List<CompletableFuture<HttpResponse<String>>> longStreams = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> shortStreams = new ArrayList<>();
        try (ChildGateway gateway = ChildGateway.start(logName("sigterm"), settings)) {
            // 60 words at 100 ms: 6 s, longer than the grace; 8 words: 0.8 s, well within it.
            for (int i = 0; i < 6; i++) {
                longStreams.add(stream(gateway.baseUri(), words(60)));
            }
            for (int i = 0; i < 2; i++) {
                shortStreams.add(stream(gateway.baseUri(), words(8)));
            }
            awaitRunsInFlight(gateway.baseUri(), 8);

            long signalled = System.nanoTime();
            gateway.terminate();
            gateway.awaitExit(GRACE.plusSeconds(8));
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            // The grace, then the cancelled turns' ends recorded and the embedded PostgreSQL stopped.
            assertTrue(exitMillis < GRACE.toMillis() + 4_000, "exited " + exitMillis + " ms after SIGTERM:\n"
                    + gateway.logTail());
            assertTrue(gateway.log().contains("agentgate stopped"), "the stop is logged:\n" + gateway.logTail());
        }

        for (CompletableFuture<HttpResponse<String>> s : shortStreams) {
            String body = s.get(10, TimeUnit.SECONDS).body();
            assertTrue(body.strip().endsWith("data: [DONE]"), "a turn shorter than the grace finishes:\n" + body);
        }
        for (CompletableFuture<HttpResponse<String>> s : longStreams) {
            String body = s.get(10, TimeUnit.SECONDS).body();
            assertTrue(body.contains("\"code\":\"shutdown\""), "a turn cut by the shutdown ends with an error frame:\n" + body);
            assertTrue(!body.contains("[DONE]"), "and never as a success:\n" + body);
        }

        // The same data directory, started again: every run has its end.
        try (ChildGateway again = ChildGateway.start(logName("sigterm-restart"), Map.of("AGENTGATE_DATA_DIR", dataDir.toString()))) {
            Map<String, Long> outcomes = runOutcomes(again.baseUri());
            assertEquals(Map.of("shutdown", 6L, "completed", 2L), outcomes, "runs by outcome after the restart");
        }
    }

    @Test
    void afterKillMinus9TheFirstRestartOnTheSameDataDirectoryWorksAndClosesTheOrphanedRun() throws Exception {
        Map<String, String> settings = Map.of(
                "AGENTGATE_DATA_DIR", dataDir.toString(),
                "AGENTGATE_DEMO_WORD_DELAY_MS", String.valueOf(WORD_DELAY_MS));
        long leftPostmaster;
        try (ChildGateway gateway = ChildGateway.start(logName("kill9"), settings)) {
            stream(gateway.baseUri(), words(200));
            awaitRunsInFlight(gateway.baseUri(), 1);
            // Run records are written behind the request (a crash can lose the last ~100 ms of them, see the
            // README): what must survive the crash is a run whose open row was written.
            awaitRecordedOpenRuns(gateway.baseUri(), 1);
            gateway.kill();
            leftPostmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).getFirst().strip());
            assertTrue(ContainerProcess.running(leftPostmaster),
                    "the killed gateway's PostgreSQL is still running (as after a real kill -9)");
        }
        long started = System.nanoTime();
        try (ChildGateway restarted = ChildGateway.start(logName("kill9-restart"), settings)) {
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(restarted.log().contains("left running on"), "the left-over PostgreSQL was found:\n"
                    + restarted.logTail());
            assertTrue(!ContainerProcess.running(leftPostmaster),
                    "the left-over PostgreSQL was stopped (ready after " + readyMillis + " ms)");
            assertEquals(Map.of("interrupted", 1L), runOutcomes(restarted.baseUri()),
                    "the killed run is closed as interrupted by the restarted gateway");
            HttpResponse<String> answer = http.send(chat(restarted.baseUri(), false, "after the crash"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
        }
    }

    /** A log of its own per test JVM: the child's log is appended to, and assertions read it. */
    private static String logName(String name) {
        return name + "-" + ProcessHandle.current().pid();
    }

    private CompletableFuture<HttpResponse<String>> stream(URI base, String text) {
        return http.sendAsync(chat(base, true, text), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest chat(URI base, boolean stream, String text) {
        return HttpRequest.newBuilder(base.resolve("v1/chat/completions"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"demo\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"))
                .build();
    }

    private static String words(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    private void awaitRunsInFlight(URI base, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (metrics.lines().anyMatch(l -> l.startsWith("agentgate_runs_in_flight ")
                    && Double.parseDouble(l.substring(l.indexOf(' ') + 1)) >= expected)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(expected + " runs never were in flight:\n" + metrics);
    }

    /** Outcome counts of every run ({@code GET /v1/runs}; {@code running} for one not ended). */
    private void awaitRecordedOpenRuns(URI base, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, Long> outcomes = Map.of();
        while (System.nanoTime() < deadline) {
            outcomes = runOutcomes(base);
            if (outcomes.getOrDefault("running", 0L) >= expected) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(expected + " open runs never were recorded: " + outcomes);
    }

    private Map<String, Long> runOutcomes(URI base) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("v1/runs?limit=100")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        try (JsonReader reader = Json.createReader(new StringReader(page.body()))) {
            JsonObject json = reader.readObject();
            return json.getJsonArray("data").stream()
                    .map(JsonValue::asJsonObject)
                    .collect(Collectors.groupingBy(r -> r.getString("outcome"), Collectors.counting()));
        }
    }
}
