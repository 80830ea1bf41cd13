package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentgate.testing.ContainerProcess;
import io.agentgate.testing.TestDatabase;
import io.agentgate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's nginx section, run: {@code docs/deploy/nginx/agentgate.conf} in front of two gateways on
 * one database, with its upstream addresses and listen port moved to loopback and its
 * {@code proxy_read_timeout} shortened so that a silence longer than it fits in a test. Without
 * nginx installed the test is skipped, except on CI ({@code CI=true}), where {@code .ci/run} installs it.
 */
class NginxProxyTest {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final String KEY = "nginx-test-key";
    /** The shortened proxy_read_timeout, the keepalive interval below it and a model silence above it. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final String KEEPALIVE_SECONDS = "0.3";
    private static final Duration SILENCE = Duration.ofMillis(2500);

    @TempDir
    Path prefix;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void streamsUnbufferedThroughSilencesLongerThanTheReadTimeoutAndSpreadsOverReplicas() throws Exception {
        if (!Files.isExecutable(NGINX)) {
            String reason = "nginx is not installed (apt-get install nginx)";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + "; CI installs it in .ci/run and must not pass by skipping this test");
            }
            Assumptions.abort(reason);
        }
        Map<String, String> replica = Map.of(
                "AGENTGATE_DB_URL", TestDatabase.freshDatabaseUrl(),
                "AGENTGATE_API_KEY", KEY,
                "AGENTGATE_KEEPALIVE_SECONDS", KEEPALIVE_SECONDS,
                "AGENTGATE_DEMO_WORD_DELAY_MS", Long.toString(SILENCE.toMillis()));
        try (TestGateway a = TestGateway.start(replica); TestGateway b = TestGateway.start(replica)) {
            int port = ContainerProcess.freePort();
            Process nginx = startNginx(port, a.baseUri().getPort(), b.baseUri().getPort());
            try {
                URI front = URI.create("http://127.0.0.1:" + port + "/");
                awaitProxying(front, nginx);

                // Every client reaches the gateways from nginx's loopback address: only the key keeps them out.
                assertEquals(401, http.send(completion(front, false, "no key").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());

                assertStreamsUnbufferedWithKeepalives(front);
                assertOneSessionAcrossReplicas(front);
                assertTrue(completedRuns(a) >= 1 && completedRuns(b) >= 1,
                        "both replicas served requests: " + completedRuns(a) + ", " + completedRuns(b));
            } finally {
                nginx.destroy();
                nginx.waitFor();
            }
        }
    }

    /** The first word reaches the client long before the second, and keepalives bridge the silence. */
    private void assertStreamsUnbufferedWithKeepalives(URI front) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = http.send(
                completion(front, true, "slow answer").header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        List<String> lines = new ArrayList<>();
        long firstWordAt = 0;
        long secondWordAt = 0;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.isEmpty()) {
                continue; // event separators
            }
            lines.add(line);
            if (line.contains("\"content\":\"slow\"")) {
                firstWordAt = System.nanoTime();
            } else if (line.contains("\"content\":\" answer\"")) {
                secondWordAt = System.nanoTime();
            }
        }
        assertEquals("data: [DONE]", lines.getLast(), "the stream completed through nginx: " + lines);
        assertTrue(firstWordAt > 0 && secondWordAt > 0, "both words arrived: " + lines);
        assertTrue(Duration.ofNanos(secondWordAt - firstWordAt).compareTo(SILENCE.minusMillis(500)) > 0,
                "the first word was not held back until the second: " + Duration.ofNanos(secondWordAt - firstWordAt));
        long keepalives = lines.stream().filter(l -> l.equals(": keepalive")).count();
        assertTrue(keepalives >= SILENCE.toMillis() / READ_TIMEOUT.toMillis(),
                "keepalive comments crossed nginx during the " + SILENCE + " silence: " + lines);
    }

    /** One key, requests landing on both replicas in turn, one conversation. */
    private void assertOneSessionAcrossReplicas(URI front) throws Exception {
        Set<String> sessionIds = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = http.send(completion(front, false, "hello" + i)
                    .header("Authorization", "Bearer " + KEY).header("X-Session-Key", "nginx-key").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            sessionIds.add(response.headers().firstValue("X-Session-Id").orElseThrow());
        }
        assertEquals(1, sessionIds.size(), "one session across replicas: " + sessionIds);
    }

    private Process startNginx(int listenPort, int portA, int portB) throws Exception {
        String site = Files.readString(Path.of("docs/deploy/nginx/agentgate.conf"));
        site = replaceOnce(site, "server 10.0.0.11:8642;", "server 127.0.0.1:" + portA + ";");
        site = replaceOnce(site, "server 10.0.0.12:8642;", "server 127.0.0.1:" + portB + ";");
        site = replaceOnce(site, "listen 80;", "listen 127.0.0.1:" + listenPort + ";");
        site = replaceOnce(site, "proxy_read_timeout 300s;", "proxy_read_timeout " + READ_TIMEOUT.toSeconds() + "s;");
        Files.writeString(prefix.resolve("agentgate.conf"), site);
        Files.createDirectories(prefix.resolve("logs"));
        // The main configuration a Debian nginx.conf reduces to for this site: conf.d/*.conf inside http {}.
        Files.writeString(prefix.resolve("nginx.conf"), """
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                events {}
                http {
                    access_log %1$s/logs/access.log;
                    include %1$s/agentgate.conf;
                }
                """.formatted(prefix));
        return new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
    }

    private void awaitProxying(URI front, Process nginx) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                fail("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log"))
                        + Files.readString(prefix.resolve("logs/error.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(front.resolve("health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // nginx is not listening yet
            }
            Thread.sleep(100);
        }
        fail("nginx did not proxy /health within 20 s");
    }

    private static HttpRequest.Builder completion(URI front, boolean stream, String text) {
        return HttpRequest.newBuilder(front.resolve("v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"demo\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));
    }

    private double completedRuns(TestGateway gateway) throws Exception {
        String metrics = gateway.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^agentgate_runs_total\\{[^}]*outcome=\"completed\"[^}]*} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String replaceOnce(String text, String from, String to) {
        assertTrue(text.contains(from), "docs/deploy/nginx/agentgate.conf has " + from);
        return text.replace(from, to);
    }
}
