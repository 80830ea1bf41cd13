package io.agentgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A servlet container distribution started with its own scripts in a child process, as an operator
 * runs it, with the WAR's embedded PostgreSQL in {@code pgData}. Closing it kills whatever a failed
 * test left running (the container and the postmaster it started, which is not its child).
 */
public final class ContainerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path pgData;

    private ContainerProcess(Process process, Path log, Path pgData) {
        this.process = process;
        this.log = log;
        this.pgData = pgData;
    }

    /** Starts {@code command} with its output (stdout and stderr) in {@code log}. */
    public static ContainerProcess start(ProcessBuilder command, Path log, Path pgData) throws IOException {
        command.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ContainerProcess(command.start(), log, pgData);
    }

    /**
     * Waits for the WAR's readiness endpoint to answer 200; fails with the log as soon as the
     * process exits or its log shows {@code failureMarker} (the container's word for a failed deployment).
     */
    public void awaitReady(URI contextRoot, Duration timeout, String failureMarker) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(contextRoot.resolve("health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the container exited with " + process.exitValue() + " before it was ready:\n" + logTail());
            }
            if (log().contains(failureMarker)) {
                fail("the WAR failed to deploy:\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        fail("not ready within " + timeout + " (last: " + last + "):\n" + logTail());
    }

    /** The pid of the embedded PostgreSQL's postmaster, from its {@code postmaster.pid}. */
    public long embeddedPostgresPid() throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        assertTrue(Files.isRegularFile(pidFile), "the embedded PostgreSQL runs with its data in " + pgData);
        return Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
    }

    /** SIGTERM, as {@code systemctl stop} sends. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the container's JVM to exit and returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the container did not exit within " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    /**
     * A clean PostgreSQL shutdown removes {@code postmaster.pid}, and the postmaster is gone (a
     * zombie waiting for its reaper counts as gone: it holds no port, file or memory).
     */
    public void assertEmbeddedPostgresStopped(long postmasterPid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && (running(postmasterPid) || Files.exists(pgData.resolve("postmaster.pid")))) {
            Thread.sleep(100);
        }
        assertFalse(running(postmasterPid), "the embedded PostgreSQL (pid " + postmasterPid + ") stopped:\n" + logTail());
        assertFalse(Files.exists(pgData.resolve("postmaster.pid")),
                "the embedded PostgreSQL shut down cleanly (postmaster.pid removed):\n" + logTail());
    }

    /** The container's whole output so far. */
    public String log() {
        return new ProcessLog(log).text();
    }

    public String logTail() {
        return new ProcessLog(log).tail(80);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        // After a failed test the postmaster may outlive the container: pg_ctl detached it.
        Path pidFile = pgData.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    /** True while the process runs; a zombie waiting for its reaper counts as gone. */
    public static boolean running(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        try {
            // /proc/<pid>/stat: "pid (comm) state ..."; Z is a zombie.
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port free at this moment. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a one-shot command (an operator's set-up or stop step) in {@code dir}; returns its output. */
    public static String run(Path dir, Duration timeout, String... command) throws Exception {
        Path output = Files.createTempFile("agentgate-command", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(output);
            assertTrue(finished, String.join(" ", command) + " did not finish within " + timeout + ":\n" + out);
            assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The home of the JDK running the tests (21 or newer: the toolchains plugin chose it). */
    public static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }
}
