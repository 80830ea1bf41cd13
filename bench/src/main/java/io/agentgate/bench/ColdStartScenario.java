package io.agentgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Process start to {@code /health/ready} 200, with the data directory the earlier scenarios left
 * (so PostgreSQL starts on an existing cluster and Flyway has nothing to apply). Baseline: a bare
 * Jetty JVM (the fake upstream's main, same JVM flags) from process start to its first 200. Both
 * are the median of several starts.
 */
final class ColdStartScenario {

    private ColdStartScenario() {}

    static Metric run(GatewayLaunch launch, LoadClient client, Map<String, String> settings, int samples)
            throws Exception {
        double[] gateway = new double[samples];
        double[] bare = new double[samples];
        for (int i = 0; i < samples; i++) {
            bare[i] = bareJetty(launch, client, i);
            try (GatewayProcess g = GatewayProcess.start(launch, "cold-start-" + i, settings)) {
                gateway[i] = g.awaitReady(client, 60_000);
            }
        }
        double g = Stats.median(gateway);
        double b = Stats.median(bare);
        return new Metric("cold_start_ms", "cold start to /health/ready, existing data dir",
                "bare Jetty JVM " + Format.ms(b), Format.ms(g), Stats.round(g, 0), Format.signed(g - b, "ms"),
                Metric.Goal.atMost(5000, "ms"), "median of " + samples + " starts; gateway samples "
                + java.util.Arrays.toString(round(gateway)) + " ms");
    }

    private static double bareJetty(GatewayLaunch launch, LoadClient client, int i) throws Exception {
        int port = GatewayProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(launch.tool("java").toString());
        cmd.addAll(List.of(launch.jvmArgs().split(" ")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FakeUpstream.class.getName(),
                "--upstream-port", Integer.toString(port)));
        Path log = launch.workDir().resolve("logs").resolve("bare-jetty-" + i + ".log");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI models = URI.create("http://127.0.0.1:" + port + "/v1/models");
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && p.isAlive()) {
                var r = client.get(models, 1_000);
                if (r != null && r.getStatus() == 200) {
                    return (System.nanoTime() - start) / 1e6;
                }
                Thread.sleep(5);
            }
            throw new IOException("bare Jetty JVM did not answer; see " + log);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long[] round(double[] values) {
        return java.util.Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
