package io.agentgate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;

/**
 * One gateway JVM: started with the run profile's command line plus {@code AGENTGATE_*} settings in
 * its environment, its output in {@code work/logs/<name>.log}, stopped with SIGTERM so its shutdown
 * hook stops the embedded PostgreSQL cleanly (the next start reuses the data directory).
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    private final GatewayLaunch launch;
    private final Process process;
    private final long startNanos;
    private final URI base;
    private final Path log;

    private GatewayProcess(GatewayLaunch launch, Process process, long startNanos, URI base, Path log) {
        this.launch = launch;
        this.process = process;
        this.startNanos = startNanos;
        this.base = base;
        this.log = log;
    }

    static GatewayProcess start(GatewayLaunch launch, String name, Map<String, String> settings) throws IOException {
        int port = freePort();
        Path logs = Files.createDirectories(launch.workDir().resolve("logs"));
        Files.createDirectories(launch.workDir().resolve("jfr"));
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(launch.commandFor(name))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTGATE_"));
        pb.environment().putAll(settings);
        pb.environment().put("AGENTGATE_HOST", "127.0.0.1");
        pb.environment().put("AGENTGATE_PORT", Integer.toString(port));
        long start = System.nanoTime();
        Process p = pb.start();
        Files.writeString(launch.workDir().resolve("gateway.pid"), Long.toString(p.pid()));
        return new GatewayProcess(launch, p, start, URI.create("http://127.0.0.1:" + port + "/"), log);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Polls {@code /health/ready} every 5 ms; returns milliseconds from process start to the first
     * 200. Throws when the process dies or the timeout passes.
     */
    double awaitReady(LoadClient client, long timeoutMs) throws IOException, InterruptedException {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        URI ready = uri("health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("gateway exited with " + process.exitValue() + "; see " + log);
            }
            ContentResponse r = client.get(ready, 1_000);
            if (r != null && r.getStatus() == 200) {
                return (System.nanoTime() - startNanos) / 1e6;
            }
            Thread.sleep(5);
        }
        throw new IOException("gateway not ready within " + timeoutMs + " ms; see " + log);
    }

    /** Heap in use right after a full GC requested through {@code jcmd}, in MiB. */
    double heapUsedAfterGcMib() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new IOException("cannot read heap use from jcmd GC.heap_info: " + info);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    /** Saves the live-object class histogram next to the logs (for finding per-stream footprint). */
    void saveHistogram(String name) throws IOException, InterruptedException {
        Files.writeString(launch.workDir().resolve("logs").resolve(name + ".histogram.txt"),
                jcmd("GC.class_histogram"));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(launch.tool("jcmd").toString(), Long.toString(pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
