package io.agentgate.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own, started as the standalone launcher ({@code StandaloneServer}) on
 * the test classpath, for what only a real process shows: kill -9. Its output goes to
 * {@code target/child-gateways/<name>.log}; closing it ends the process whatever the test did.
 */
public final class ChildGateway implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final URI baseUri;

    private ChildGateway(Process process, Path log, URI baseUri) {
        this.process = process;
        this.log = log;
        this.baseUri = baseUri;
    }

    /** Starts with these settings ({@code AGENTGATE_*}, on a free port) and waits until it is ready. */
    public static ChildGateway start(String name, Map<String, String> settings) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder command = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.agentgate.standalone.StandaloneServer"));
        command.environment().putAll(settings);
        command.environment().put("AGENTGATE_HOST", "127.0.0.1");
        command.environment().put("AGENTGATE_PORT", String.valueOf(port));
        Path log = Path.of("target", "child-gateways", name + ".log");
        Files.createDirectories(log.getParent());
        command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ChildGateway child = new ChildGateway(command.start(), log, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            child.awaitReady(Duration.ofSeconds(60));
        } catch (Throwable e) {
            child.close();
            throw e;
        }
        return child;
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(baseUri.resolve("health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the gateway exited with " + process.exitValue() + " before it was ready:\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("the gateway was not ready within " + timeout.toSeconds() + " s:\n" + logTail());
    }

    public URI baseUri() {
        return baseUri;
    }

    public URI uri(String path) {
        return baseUri.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** kill -9: no shutdown hook, no lease released, no run ended. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("the gateway did not die on SIGKILL");
        }
    }

    /** SIGTERM, as a service manager stops it; see {@link #awaitExit}. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; fails when it does not within {@code timeout}. Returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the gateway did not exit within " + timeout.toMillis() + " ms:\n" + logTail());
        }
        return process.exitValue();
    }

    /** Its whole output so far. */
    public String log() {
        return new ProcessLog(log).text();
    }

    /** The last lines of its output, for failure messages. */
    public String logTail() {
        return new ProcessLog(log).tail(40);
    }

    /** SIGTERM, then SIGKILL if it is still there after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
